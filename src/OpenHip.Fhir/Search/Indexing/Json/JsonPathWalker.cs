using System.Collections.Concurrent;
using System.Text.Json;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search.Indexing.Json;

/// <summary>
/// Walks the steps of a plain index path (<see cref="PathParser"/>) over System.Text.Json instead of the POCO, giving each
/// selected value the POCO type Firely's parser would have made, so that <see cref="IndexPath"/>'s walk and this one
/// select the same values. What it does not mirror throws <see cref="JsonShapeNotCompiledException"/>.
/// </summary>
internal static class JsonPathWalker
{
    private static readonly ConcurrentDictionary<(Type, string), PropertyMapping?> Properties = new();

    private static readonly ConcurrentDictionary<string, Type?> ChoiceTypes = new(StringComparer.Ordinal);

    public static void Walk(JsonFhirValue node, JsonFhirValue resource, PathStep[] steps, int depth, List<JsonFhirValue> into)
    {
        if (depth == steps.Length)
        {
            into.Add(node);
            return;
        }

        PathStep step = steps[depth];
        switch (step.Kind)
        {
            case PathStepKind.Child:
                Children(node, resource, steps, depth, into);
                break;
            case PathStepKind.OfType:
                if (step.ClrType is { } clr ? clr.IsAssignableFrom(node.Type) : string.Equals(TypeName(node.Type), step.Name, StringComparison.OrdinalIgnoreCase))
                {
                    Walk(node, resource, steps, depth + 1, into);
                }

                break;
            case PathStepKind.WhereEquals:
                if (node.Json.ValueKind == JsonValueKind.Object && node.Json.TryGetProperty(step.Utf8Name, out JsonElement member)
                    && JsonText.OfPrimitive(member, typeof(FhirString)) == step.Value)
                {
                    Walk(node, resource, steps, depth + 1, into);
                }

                break;
            case PathStepKind.WhereResolveIs:
                if (node.Type == typeof(ResourceReference) && TargetType(node.Json) == step.Name)
                {
                    Walk(node, resource, steps, depth + 1, into);
                }

                break;
            case PathStepKind.Resource:
                Walk(resource, resource, steps, depth + 1, into);
                break;
        }
    }

    /// <summary>The POCO type of a resource's JSON (its resourceType), or null when Firely does not know it.</summary>
    public static Type? ResourceType(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("resourceType"u8, out JsonElement type) && type.ValueKind == JsonValueKind.String
            ? ModelInfo.GetTypeForFhirType(type.GetString()!) : null;

    private static void Children(JsonFhirValue node, JsonFhirValue resource, PathStep[] steps, int depth, List<JsonFhirValue> into)
    {
        PathStep step = steps[depth];
        if (node.Json.ValueKind != JsonValueKind.Object)
        {
            // A primitive's own children (id, extension) sit in the "_name" twin: left to the POCO.
            throw new JsonShapeNotCompiledException();
        }

        if (Property(node.Type, step.Name) is not { } property)
        {
            return;
        }

        if (property.IsPrimitive && RestHasChild(steps, depth + 1))
        {
            throw new JsonShapeNotCompiledException();
        }

        if (property.Choice == ChoiceType.DatatypeChoice)
        {
            ChoiceChild(node.Json, step, resource, steps, depth, into);
            return;
        }

        if (!node.Json.TryGetProperty(step.Utf8Name, out JsonElement value))
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            int count = value.GetArrayLength();
            if (step.Index >= 0)
            {
                if (step.Index < count)
                {
                    Item(value[step.Index], property, resource, steps, depth, into);
                }

                return;
            }

            foreach (JsonElement item in value.EnumerateArray())
            {
                Item(item, property, resource, steps, depth, into);
            }

            return;
        }

        if (step.Index <= 0)
        {
            Item(value, property, resource, steps, depth, into);
        }
    }

    private static void Item(JsonElement item, PropertyMapping property, JsonFhirValue resource, PathStep[] steps, int depth, List<JsonFhirValue> into)
    {
        if (item.ValueKind == JsonValueKind.Null)
        {
            // A list item whose value is only in the "_name" twin: the POCO has an element without value, which
            // converts to nothing; keeping the position keeps list indexes right.
            return;
        }

        Type type = property.Choice == ChoiceType.ResourceChoice
            ? ResourceType(item) ?? throw new JsonShapeNotCompiledException()
            : property.ImplementingType;
        Walk(new JsonFhirValue(item, type), resource, steps, depth + 1, into);
    }

    /// <summary>value[x]: the one JSON member named "value" + a type name, typed by that name.</summary>
    private static void ChoiceChild(JsonElement json, PathStep step, JsonFhirValue resource, PathStep[] steps, int depth, List<JsonFhirValue> into)
    {
        foreach (JsonProperty member in json.EnumerateObject())
        {
            string name = member.Name;
            if (name.Length <= step.Name.Length || !name.StartsWith(step.Name, StringComparison.Ordinal) || !char.IsAsciiLetterUpper(name[step.Name.Length]))
            {
                continue;
            }

            Type type = ChoiceTypes.GetOrAdd(name[step.Name.Length..], static suffix =>
                ModelInfo.GetTypeForFhirType(suffix) ?? ModelInfo.GetTypeForFhirType(char.ToLowerInvariant(suffix[0]) + suffix[1..]))
                ?? throw new JsonShapeNotCompiledException();
            if (member.Value.ValueKind is JsonValueKind.Array or JsonValueKind.Null || step.Index > 0)
            {
                throw new JsonShapeNotCompiledException();
            }

            Walk(new JsonFhirValue(member.Value, type), resource, steps, depth + 1, into);
        }
    }

    private static bool RestHasChild(PathStep[] steps, int from)
    {
        for (int i = from; i < steps.Length; i++)
        {
            if (steps[i].Kind is PathStepKind.Child or PathStepKind.Resource)
            {
                return true;
            }
        }

        return false;
    }

    private static PropertyMapping? Property(Type type, string name) =>
        Properties.GetOrAdd((type, name), static key =>
            ModelInfo.ModelInspector.FindOrImportClassMapping(key.Item1)?.FindMappedElementByName(key.Item2));

    private static string TypeName(Type type) =>
        ModelInfo.ModelInspector.FindOrImportClassMapping(type)?.Name ?? type.Name;

    /// <summary><see cref="LiteralReference.TargetType"/> over a Reference's JSON.</summary>
    private static string? TargetType(JsonElement reference) =>
        LiteralReference.TargetType(JsonText.Member(reference, "reference"u8), JsonText.Member(reference, "type"u8));
}
