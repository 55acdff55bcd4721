using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Indexing.Json;

/// <summary>
/// One parameter's extractor compiled over System.Text.Json from the POCO one (<see cref="For"/> gives null when a
/// branch needs FHIRPath: that parameter is then always extracted from the POCO).
/// </summary>
internal abstract class JsonParameterExtractor(ParameterExtractor poco)
{
    /// <summary>The POCO extractor of the same parameter: the fallback for shapes the JSON walk does not mirror.</summary>
    public ParameterExtractor Poco { get; } = poco;

    public static JsonParameterExtractor? For(ParameterExtractor poco, JsonIndexValues values)
    {
        switch (poco)
        {
            case ValueParameterExtractor { Path.PlainBranches: { } branches } single:
                return new Single(single, [.. branches], values);
            case CompositeParameterExtractor { Elements.PlainBranches: { } elements } composite
                when composite.Components.All(c => c.Path.PlainBranches is not null):
                return new Composite(composite, [.. elements], [.. composite.Components.Select(c => c.Path.PlainBranches!.ToArray())], values);
            default:
                return null;
        }
    }

    /// <summary>Adds the parameter's entries; throws <see cref="JsonShapeNotCompiledException"/> (adding nothing) on a shape it does not mirror.</summary>
    public abstract void Extract(JsonFhirValue resource, List<IndexEntry> into);

    protected static List<JsonFhirValue> Select(JsonFhirValue focus, JsonFhirValue resource, PathStep[][] branches)
    {
        List<JsonFhirValue> selected = [];
        foreach (PathStep[] steps in branches)
        {
            JsonPathWalker.Walk(focus, resource, steps, 0, selected);
        }

        return selected;
    }

    private sealed class Single(ValueParameterExtractor poco, PathStep[][] branches, JsonIndexValues values) : JsonParameterExtractor(poco)
    {
        public override void Extract(JsonFhirValue resource, List<IndexEntry> into)
        {
            foreach (JsonFhirValue value in Select(resource, resource, branches))
            {
                values.Add(poco.Type, poco.Code, value, into);
            }
        }
    }

    /// <summary>Mirrors <see cref="CompositeParameterExtractor"/>: combinations of the components' values within each selected element.</summary>
    private sealed class Composite(CompositeParameterExtractor poco, PathStep[][] elements, PathStep[][][] components, JsonIndexValues values)
        : JsonParameterExtractor(poco)
    {
        public override void Extract(JsonFhirValue resource, List<IndexEntry> into)
        {
            var parts = new List<IndexEntry>[components.Length];
            foreach (JsonFhirValue element in Select(resource, resource, elements))
            {
                if (Convert(element, resource, parts))
                {
                    CompositeParameterExtractor.Combine(poco.Code, components.Length, parts, 0, new IndexEntry[components.Length], into);
                }
            }
        }

        private bool Convert(JsonFhirValue element, JsonFhirValue resource, List<IndexEntry>[] parts)
        {
            for (int i = 0; i < components.Length; i++)
            {
                CompositeComponent component = poco.Components[i];
                List<JsonFhirValue> selected = Select(element, resource, components[i]);
                List<IndexEntry> entries = [];
                foreach (JsonFhirValue value in selected)
                {
                    values.Add(component.Type, component.Position, value, entries);
                }

                entries.RemoveAll(e => !CompositeParameterExtractor.TakesPart(component, e));
                if (entries.Count == 0)
                {
                    return false;
                }

                parts[i] = entries;
            }

            return true;
        }
    }
}
