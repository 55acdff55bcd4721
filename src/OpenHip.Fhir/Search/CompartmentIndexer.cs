using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Hl7.FhirPath;

namespace OpenHip.Fhir.Search;

/// <summary>
/// The patients whose compartment a resource version belongs to, recorded at write so that Patient/$everything and
/// patient-scoped access need no reference walking at read time. A Patient is in its own compartment.
/// </summary>
public sealed class CompartmentIndexer(SearchParameterRegistry registry)
{
    private readonly ConcurrentDictionary<string, IndexPath[]> _paths = new(StringComparer.Ordinal);

    public IReadOnlyList<string> PatientsOf(Resource resource)
    {
        SortedSet<string> patients = new(StringComparer.Ordinal);
        if (resource is Patient { Id: { } self })
        {
            patients.Add(self);
        }

        List<Base> values = [];
        PocoNode? root = null;
        foreach (IndexPath path in PathsOf(resource.TypeName))
        {
            path.Select(resource, ref root, values);
        }

        foreach (ResourceReference reference in values.OfType<ResourceReference>())
        {
            if (PatientId(reference.Reference) is { } id)
            {
                patients.Add(id);
            }
        }

        return [.. patients];
    }

    private IndexPath[] PathsOf(string type) => _paths.GetOrAdd(type, t =>
        PatientCompartmentDefinition.Parameters.TryGetValue(t, out string[]? codes)
            ? codes.Select(code => registry.Find(t, code)?.Expression).OfType<string>().Select(e => IndexPath.For(e, t)).OfType<IndexPath>().ToArray()
            : []);

    /// <summary>The id of a literal Patient reference (relative, or absolute ending in Patient/id, without version).</summary>
    private static string? PatientId(string? reference)
    {
        if (reference is null)
        {
            return null;
        }

        int history = reference.IndexOf("/_history/", StringComparison.Ordinal);
        string path = history >= 0 ? reference[..history] : reference;
        int slash = path.LastIndexOf('/');
        if (slash <= 0)
        {
            return null;
        }

        int typeStart = path.LastIndexOf('/', slash - 1) + 1;
        return path.AsSpan(typeStart, slash - typeStart).SequenceEqual("Patient") && slash < path.Length - 1 ? path[(slash + 1)..] : null;
    }
}
