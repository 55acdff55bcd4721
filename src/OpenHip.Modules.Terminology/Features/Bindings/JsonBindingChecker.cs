using System.Collections.Concurrent;
using System.Text.Json;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;

namespace OpenHip.Modules.Terminology.Features.Bindings;

/// <summary>
/// <see cref="BindingChecker"/> over a resource's JSON, for the bulk import's path that never builds the POCO: the same
/// rules, applied to the same elements (typed as Firely's model types them), giving the same issues at the same
/// locations. Where the JSON does not have the shape the model gives an element (the import checks structure only),
/// that element is not checked, as the POCO parse would have refused it rather than checked it.
/// </summary>
internal sealed class JsonBindingChecker(BindingChecker checker, BindingRules rules)
{
    private static readonly ConcurrentDictionary<Type, ClassMapping?> Mappings = new();
    private static readonly ConcurrentDictionary<string, Type?> ChoiceTypes = new(StringComparer.Ordinal);

    public IReadOnlyList<FhirIssue> Check(JsonElement resource, string resourceType)
    {
        var issues = new List<FhirIssue>();
        if (checker.Snapshot() is not { } snapshot || ModelInfo.GetTypeForFhirType(resourceType) is not { } type)
        {
            return issues;
        }

        Visit(resource, type, resourceType, snapshot, issues);
        return issues;
    }

    private void Visit(JsonElement node, Type type, string location, Catalog.CatalogSnapshot snapshot, List<FhirIssue> issues)
    {
        if (node.ValueKind != JsonValueKind.Object || Mapping(type) is not { } mapping)
        {
            return;
        }

        foreach (BindingRule rule in rules.For(mapping.Name))
        {
            var selected = new List<(JsonElement, Type, string)>();
            Select(node, type, location, rule.Steps, 0, selected);
            foreach ((JsonElement value, Type valueType, string at) in selected)
            {
                checker.CheckValue(Codes(value, valueType), at, rule, snapshot, issues);
            }
        }

        foreach ((JsonElement child, Type childType, string at) in Children(node, mapping, location, null))
        {
            if (!typeof(PrimitiveType).IsAssignableFrom(childType))
            {
                Visit(child, childType, at, snapshot, issues);
            }
        }
    }

    private static void Select(JsonElement node, Type type, string location, string[] steps, int depth, List<(JsonElement, Type, string)> into)
    {
        if (depth == steps.Length)
        {
            into.Add((node, type, location));
            return;
        }

        if (node.ValueKind != JsonValueKind.Object || Mapping(type) is not { } mapping)
        {
            return;
        }

        foreach ((JsonElement child, Type childType, string at) in Children(node, mapping, location, steps[depth]))
        {
            Select(child, childType, at, steps, depth + 1, into);
        }
    }

    /// <summary>
    /// The element values below an object, in the model's element order, each with its model type and location as
    /// <see cref="BindingChecker"/> writes it (list items indexed, choice elements under their name without the type).
    /// </summary>
    private static IEnumerable<(JsonElement Value, Type Type, string Location)> Children(JsonElement node, ClassMapping mapping, string location, string? only)
    {
        foreach (PropertyMapping property in mapping.PropertyMappings)
        {
            if (only is not null && property.Name != only)
            {
                continue;
            }

            if (property.Choice == ChoiceType.DatatypeChoice)
            {
                foreach (JsonProperty member in node.EnumerateObject())
                {
                    string name = member.Name;
                    if (name.Length > property.Name.Length && name.StartsWith(property.Name, StringComparison.Ordinal) && char.IsAsciiLetterUpper(name[property.Name.Length])
                        && ChoiceTypeOf(name[property.Name.Length..]) is { } choiceType && member.Value.ValueKind != JsonValueKind.Array)
                    {
                        yield return (member.Value, choiceType, $"{location}.{property.Name}");
                    }
                }

                continue;
            }

            if (!node.TryGetProperty(property.Name, out JsonElement value))
            {
                continue;
            }

            if (value.ValueKind == JsonValueKind.Array && property.IsCollection)
            {
                int i = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (ItemType(item, property) is { } itemType)
                    {
                        yield return (item, itemType, $"{location}.{property.Name}[{i}]");
                    }

                    i++;
                }
            }
            else if (!property.IsCollection && ItemType(value, property) is { } valueType)
            {
                yield return (value, valueType, $"{location}.{property.Name}");
            }
        }
    }

    private static Type? ItemType(JsonElement item, PropertyMapping property) =>
        property.Choice == ChoiceType.ResourceChoice
            ? item.ValueKind == JsonValueKind.Object && item.TryGetProperty("resourceType"u8, out JsonElement type) && type.ValueKind == JsonValueKind.String
                ? ModelInfo.GetTypeForFhirType(type.GetString()!) : null
            : property.ImplementingType;

    /// <summary>What <see cref="BindingChecker"/> reads from a code, Coding or CodeableConcept (Code&lt;T&gt; enumerations are the parser's to check).</summary>
    private static List<(string? System, string Code)> Codes(JsonElement value, Type type)
    {
        if (type == typeof(Code))
        {
            return value.ValueKind == JsonValueKind.String ? [(null, value.GetString()!)] : [];
        }

        if (type == typeof(Coding))
        {
            return Coding(value) is { } coding ? [coding] : [];
        }

        if (type == typeof(CodeableConcept) && value.ValueKind == JsonValueKind.Object
            && value.TryGetProperty("coding"u8, out JsonElement codings) && codings.ValueKind == JsonValueKind.Array)
        {
            return [.. codings.EnumerateArray().Select(Coding).OfType<(string?, string)>()];
        }

        return [];
    }

    private static (string? System, string Code)? Coding(JsonElement coding) =>
        coding.ValueKind == JsonValueKind.Object && coding.TryGetProperty("code"u8, out JsonElement code) && code.ValueKind == JsonValueKind.String
            ? (coding.TryGetProperty("system"u8, out JsonElement system) && system.ValueKind == JsonValueKind.String ? system.GetString() : null, code.GetString()!)
            : null;

    private static ClassMapping? Mapping(Type type) => Mappings.GetOrAdd(type, static t => ModelInfo.ModelInspector.FindOrImportClassMapping(t));

    private static Type? ChoiceTypeOf(string suffix) => ChoiceTypes.GetOrAdd(suffix, static s =>
        ModelInfo.GetTypeForFhirType(s) ?? ModelInfo.GetTypeForFhirType(char.ToLowerInvariant(s[0]) + s[1..]));
}
