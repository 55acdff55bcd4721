using System.Text.Json;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Search.Indexing.Json;

namespace OpenHip.Fhir.Search;

/// <summary>
/// The patients whose compartment a resource version belongs to, recorded at write so that Patient/$everything and
/// patient-scoped access need no reference walking at read time. A Patient is in its own compartment.
/// </summary>
public sealed class CompartmentIndexer(SearchParameterRegistry registry)
{
    private readonly PerTypeCache<IndexPath[]> _paths = new(registry, PathsOf);

    public IReadOnlyList<string> PatientsOf(Resource resource)
    {
        SortedSet<string> patients = new(StringComparer.Ordinal);
        if (resource is Patient { Id: { } self })
        {
            patients.Add(self);
        }

        List<Base> values = [];
        PocoNode? root = null;
        foreach (IndexPath path in _paths.Get(resource.TypeName))
        {
            path.Select(resource, ref root, values);
        }

        foreach (ResourceReference reference in values.OfType<ResourceReference>())
        {
            if (LiteralReference.TryParse(reference.Reference, out LiteralReference target) && target is { Type: "Patient", Id: { } id })
            {
                patients.Add(id);
            }
        }

        return [.. patients];
    }

    /// <summary>
    /// The same from the resource's JSON (the bulk import's path); <paramref name="poco"/> is parsed only when a path
    /// or its data is not one the JSON walk mirrors.
    /// </summary>
    public IReadOnlyList<string> PatientsOf(JsonElement resource, string resourceType, string id, Func<Resource> poco)
    {
        ArgumentNullException.ThrowIfNull(poco);
        IndexPath[] paths = _paths.Get(resourceType);
        if (paths.Any(p => p.PlainBranches is null) || JsonPathWalker.ResourceType(resource) is not { } type)
        {
            return PatientsOf(poco());
        }

        SortedSet<string> patients = new(StringComparer.Ordinal);
        if (resourceType == "Patient")
        {
            patients.Add(id);
        }

        var root = new JsonFhirValue(resource, type);
        List<JsonFhirValue> values = [];
        try
        {
            foreach (IndexPath path in paths)
            {
                foreach (PathStep[] steps in path.PlainBranches!)
                {
                    JsonPathWalker.Walk(root, root, steps, 0, values);
                }
            }

            foreach (JsonFhirValue value in values)
            {
                if (value.Type == typeof(ResourceReference) && LiteralReference.TryParse(JsonText.Member(value.Json, "reference"u8), out LiteralReference target)
                    && target is { Type: "Patient", Id: { } patient })
                {
                    patients.Add(patient);
                }
            }
        }
        catch (JsonShapeNotCompiledException)
        {
            return PatientsOf(poco());
        }

        return [.. patients];
    }

    private static IndexPath[] PathsOf(SearchParameterSet parameters, string type) =>
        PatientCompartmentDefinition.Parameters.TryGetValue(type, out string[]? codes)
            ? codes.Select(code => parameters.Find(type, code)?.Expression).OfType<string>().Select(e => IndexPath.For(e, type)).OfType<IndexPath>().ToArray()
            : [];
}
