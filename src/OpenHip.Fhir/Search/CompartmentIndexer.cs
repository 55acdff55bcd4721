using Hl7.Fhir.Model;
using OpenHip.Fhir.Search.Indexing;

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

    private static IndexPath[] PathsOf(SearchParameterSet parameters, string type) =>
        PatientCompartmentDefinition.Parameters.TryGetValue(type, out string[]? codes)
            ? codes.Select(code => parameters.Find(type, code)?.Expression).OfType<string>().Select(e => IndexPath.For(e, type)).OfType<IndexPath>().ToArray()
            : [];
}
