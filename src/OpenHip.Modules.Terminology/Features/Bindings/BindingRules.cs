using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Utility;

namespace OpenHip.Modules.Terminology.Features.Bindings;

/// <summary>
/// The bindings of coded elements (code, Coding, CodeableConcept) in the R4 core definitions of each resource and data
/// type, read from Firely's specification package on first need and kept per type.
/// </summary>
internal sealed class BindingRules(IReadOnlySet<string> strengths)
{
    private static readonly Lazy<ZipSource> Specification = new(ZipSource.CreateValidationSource, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly HashSet<string> CodedTypes = new(StringComparer.Ordinal) { "code", "Coding", "CodeableConcept" };

    private readonly ConcurrentDictionary<string, BindingRule[]> _byType = new(StringComparer.Ordinal);

    public BindingRule[] For(string type) => _byType.GetOrAdd(type, Read);

    private BindingRule[] Read(string type)
    {
        if (!ModelInfo.IsKnownResource(type) && !ModelInfo.IsDataType(type))
        {
            return [];
        }

        var definition = Specification.Value.ResolveByCanonicalUri("http://hl7.org/fhir/StructureDefinition/" + type) as StructureDefinition;
        if (definition?.Snapshot is null)
        {
            return [];
        }

        var rules = new List<BindingRule>();
        foreach (ElementDefinition element in definition.Snapshot.Element)
        {
            if (element.Binding is not { ValueSet: { } valueSet, Strength: { } strength }
                || !strengths.Contains(strength.GetLiteral()!)
                || !element.Type.Exists(t => t.Code is { } code && CodedTypes.Contains(code))
                || element.Path is not { } path
                || path.IndexOf('.', StringComparison.Ordinal) < 0)
            {
                continue;
            }

            string[] steps = [.. path.Split('.').Skip(1).Select(s => s.EndsWith("[x]", StringComparison.Ordinal) ? s[..^3] : s)];
            rules.Add(new BindingRule(path, steps, strength.GetLiteral()!, valueSet));
        }

        return [.. rules];
    }
}
