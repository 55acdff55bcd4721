using System.Text;
using System.Text.Json.Nodes;
using OpenHip.Fhir.Access;

namespace OpenHip.Modules.Security.Features.Labels;

/// <summary>
/// Removes the configured top-level elements from returned resources and marks what it changed with the v3
/// ObservationValue <c>REDACTED</c> label. Fast path: a type without rules, or a resource whose bytes do not even contain
/// a required label's code, is returned untouched without parsing (null).
/// </summary>
internal sealed class ElementMask : IResourceMask
{
    private readonly Dictionary<string, MaskRule[]> _byType;

    public ElementMask(IEnumerable<MaskRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _byType = rules.GroupBy(r => r.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    public bool IsEmpty => _byType.Count == 0;

    public ReadOnlyMemory<byte>? Apply(string type, ReadOnlyMemory<byte> json)
    {
        if (!_byType.TryGetValue(type, out MaskRule[]? rules) || json.IsEmpty)
        {
            return null;
        }

        if (rules.All(r => r.WhenLabels.Count > 0 && !r.WhenLabels.Any(l => Contains(json.Span, SecurityLabels.Split(l).Code))))
        {
            return null;
        }

        if (JsonNode.Parse(json.Span) is not JsonObject resource)
        {
            return null;
        }

        List<(string System, string Code)> labels = LabelsOf(resource);
        bool changed = false;
        foreach (MaskRule rule in rules.Where(r => r.WhenLabels.Count == 0 || r.WhenLabels.Any(l => Carries(labels, l))))
        {
            foreach (string element in rule.Elements)
            {
                changed |= resource.Remove(element);
            }
        }

        if (!changed)
        {
            return null;
        }

        JsonObject meta = resource["meta"] as JsonObject ?? [];
        resource["meta"] = meta;
        JsonArray security = meta["security"] as JsonArray ?? [];
        meta["security"] = security;
        if (!Carries(labels, SecurityLabels.ObservationValue + "|REDACTED"))
        {
            security.Add(new JsonObject { ["system"] = SecurityLabels.ObservationValue, ["code"] = "REDACTED", ["display"] = "redacted" });
        }

        return Encoding.UTF8.GetBytes(resource.ToJsonString());
    }

    /// <summary>A label without a system matches its code under any system.</summary>
    private static bool Carries(List<(string System, string Code)> labels, string label)
    {
        (string? system, string code) = SecurityLabels.Split(label);
        return labels.Any(l => l.Code == code && (system is null || l.System == system));
    }

    private static List<(string System, string Code)> LabelsOf(JsonObject resource)
    {
        List<(string System, string Code)> labels = [];
        if (resource["meta"]?["security"] is JsonArray security)
        {
            foreach (JsonNode? coding in security)
            {
                labels.Add((coding?["system"]?.GetValue<string>() ?? string.Empty, coding?["code"]?.GetValue<string>() ?? string.Empty));
            }
        }

        return labels;
    }

    private static bool Contains(ReadOnlySpan<byte> json, string code) =>
        json.IndexOf(Encoding.UTF8.GetBytes("\"" + code + "\"")) >= 0;
}
