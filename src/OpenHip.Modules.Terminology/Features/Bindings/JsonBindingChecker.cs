using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Modules.Terminology.Catalog;

namespace OpenHip.Modules.Terminology.Features.Bindings;

/// <summary>
/// <see cref="BindingChecker"/> over a resource's JSON, for the bulk import's path that never builds the POCO: the same
/// rules, applied to the same elements (typed as Firely's model types them), giving the same issues at the same
/// locations. Where the JSON does not have the shape the model gives an element (the import checks structure only),
/// that element is not checked, as the POCO parse would have refused it rather than checked it.
/// </summary>
/// <remarks>
/// It runs on every imported resource, in parallel: each model type's elements and rules are read from Firely once
/// (<see cref="JsonTypePlan"/>), and a location is only written out for an issue, not for every node walked.
/// </remarks>
internal sealed class JsonBindingChecker(BindingChecker checker, BindingRules rules)
{
    private readonly ConcurrentDictionary<Type, JsonTypePlan?> _plans = new();

    public IReadOnlyList<FhirIssue> Check(JsonElement resource, string resourceType)
    {
        var issues = new List<FhirIssue>();
        if (checker.Snapshot() is not { } snapshot || JsonTypePlan.ResourceType(resourceType) is not { } type)
        {
            return issues;
        }

        Visit(resource, type, new Walk(snapshot, issues, resourceType));
        return issues;
    }

    // Every complex node is checked against the rules of its own type, then its children are visited, in the order
    // BindingChecker takes them, so both give their issues in the same order.
    private void Visit(JsonElement node, Type type, Walk walk)
    {
        if (node.ValueKind != JsonValueKind.Object || Plan(type) is not { } plan)
        {
            return;
        }

        foreach (BindingRule rule in plan.Rules)
        {
            Values(node, plan.ByName[rule.Steps[0]], walk, rule, 1);
        }

        foreach (JsonElementPlan element in plan.Descend)
        {
            Values(node, element, walk, null, 0);
        }
    }

    /// <summary>
    /// Each value of one element of <paramref name="node"/>, with its model type and its step of the location as
    /// <see cref="BindingChecker"/> writes it (list items indexed, a choice under its name without the type): followed
    /// along <paramref name="rule"/> from <paramref name="depth"/>, or visited when there is no rule.
    /// </summary>
    private void Values(JsonElement node, JsonElementPlan element, Walk walk, BindingRule? rule, int depth)
    {
        if (element.Choice == ChoiceType.DatatypeChoice)
        {
            string prefix = element.Name;
            foreach (JsonProperty member in node.EnumerateObject())
            {
                if (member.Value.ValueKind == JsonValueKind.Array)
                {
                    continue;
                }

                string name = member.Name;
                if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal) && char.IsAsciiLetterUpper(name[prefix.Length])
                    && JsonTypePlan.ChoiceType(name[prefix.Length..]) is { } choiceType)
                {
                    Value(member.Value, choiceType, element.Name, -1, walk, rule, depth);
                }
            }

            return;
        }

        if (!node.TryGetProperty(element.Utf8Name, out JsonElement value))
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.Array && element.IsCollection)
        {
            int i = 0;
            foreach (JsonElement item in value.EnumerateArray())
            {
                if (ItemType(item, element) is { } itemType)
                {
                    Value(item, itemType, element.Name, i, walk, rule, depth);
                }

                i++;
            }
        }
        else if (!element.IsCollection && ItemType(value, element) is { } valueType)
        {
            Value(value, valueType, element.Name, -1, walk, rule, depth);
        }
    }

    private void Value(JsonElement value, Type type, string name, int index, Walk walk, BindingRule? rule, int depth)
    {
        walk.Push(name, index);
        if (rule is null)
        {
            if (!typeof(PrimitiveType).IsAssignableFrom(type))
            {
                Visit(value, type, walk);
            }
        }
        else if (depth == rule.Steps.Length)
        {
            CheckCodes(value, type, rule, walk);
        }
        else if (value.ValueKind == JsonValueKind.Object && Plan(type) is { } plan && plan.ByName.TryGetValue(rule.Steps[depth], out JsonElementPlan? next))
        {
            Values(value, next, walk, rule, depth + 1);
        }

        walk.Pop();
    }

    private void CheckCodes(JsonElement value, Type type, BindingRule rule, Walk walk)
    {
        List<(string? System, string Code)> codes = walk.Codes;
        codes.Clear();
        Codes(value, type, codes);
        if (codes.Count > 0 && !checker.Accepts(codes, rule, walk.Snapshot))
        {
            walk.Issues.Add(BindingChecker.Issue(codes, walk.Location(), rule));
        }
    }

    private static Type? ItemType(JsonElement item, JsonElementPlan element) =>
        element.Choice == ChoiceType.ResourceChoice
            ? item.ValueKind == JsonValueKind.Object && item.TryGetProperty("resourceType"u8, out JsonElement type) && type.ValueKind == JsonValueKind.String
                ? JsonTypePlan.ResourceType(type.GetString()!) : null
            : element.ImplementingType;

    /// <summary>What <see cref="BindingChecker"/> reads from a code, Coding or CodeableConcept (Code&lt;T&gt; enumerations are the parser's to check).</summary>
    private static void Codes(JsonElement value, Type type, List<(string? System, string Code)> into)
    {
        if (type == typeof(Code))
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                into.Add((null, value.GetString()!));
            }
        }
        else if (type == typeof(Coding))
        {
            AddCoding(value, into);
        }
        else if (type == typeof(CodeableConcept) && value.ValueKind == JsonValueKind.Object
            && value.TryGetProperty("coding"u8, out JsonElement codings) && codings.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement coding in codings.EnumerateArray())
            {
                AddCoding(coding, into);
            }
        }
    }

    private static void AddCoding(JsonElement coding, List<(string? System, string Code)> into)
    {
        if (coding.ValueKind == JsonValueKind.Object && coding.TryGetProperty("code"u8, out JsonElement code) && code.ValueKind == JsonValueKind.String)
        {
            into.Add((coding.TryGetProperty("system"u8, out JsonElement system) && system.ValueKind == JsonValueKind.String ? system.GetString() : null, code.GetString()!));
        }
    }

    private JsonTypePlan? Plan(Type type) => JsonTypePlan.For(_plans, type, rules);

    /// <summary>One resource's walk: the catalog it checks against, its issues, and where it is.</summary>
    private sealed class Walk(CatalogSnapshot snapshot, List<FhirIssue> issues, string root)
    {
        private readonly List<(string Name, int Index)> _path = [];

        public CatalogSnapshot Snapshot => snapshot;

        public List<FhirIssue> Issues => issues;

        /// <summary>Scratch for one element's codes.</summary>
        public List<(string? System, string Code)> Codes { get; } = [];

        public void Push(string name, int index) => _path.Add((name, index));

        public void Pop() => _path.RemoveAt(_path.Count - 1);

        public string Location()
        {
            var location = new StringBuilder(root);
            foreach ((string name, int index) in _path)
            {
                location.Append('.').Append(name);
                if (index >= 0)
                {
                    location.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
                }
            }

            return location.ToString();
        }
    }
}
