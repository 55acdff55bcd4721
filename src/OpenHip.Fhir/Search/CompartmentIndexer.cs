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
    private readonly ConcurrentDictionary<string, CompiledExpression[]> _expressions = new(StringComparer.Ordinal);

    public IReadOnlyList<string> PatientsOf(Resource resource)
    {
        SortedSet<string> patients = new(StringComparer.Ordinal);
        if (resource is Patient { Id: { } self })
        {
            patients.Add(self);
        }

        CompiledExpression[] expressions = ExpressionsOf(resource.TypeName);
        if (expressions.Length == 0)
        {
            return [.. patients];
        }

        PocoNode root = CompiledPath.Root(resource);
        foreach (CompiledExpression expression in expressions)
        {
            foreach (ResourceReference reference in CompiledPath.Evaluate(expression, root).OfType<ResourceReference>())
            {
                if (PatientId(reference.Reference) is { } id)
                {
                    patients.Add(id);
                }
            }
        }

        return [.. patients];
    }

    private CompiledExpression[] ExpressionsOf(string type) => _expressions.GetOrAdd(type, t =>
        PatientCompartmentDefinition.Parameters.TryGetValue(t, out string[]? codes)
            ? codes.Select(code => registry.Find(t, code)?.Expression).OfType<string>().Select(e => CompiledPath.CompileFor(e, t)).OfType<CompiledExpression>().ToArray()
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
