using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.FhirPath;

namespace OpenHip.Fhir.Search;

/// <summary>
/// A search parameter's expression prepared for one resource type. R4 defines shared parameters as unions over many
/// types ("AllergyIntolerance.code | Condition.code | ... | Observation.code"); only the branches that apply to the type
/// are kept. Plain paths (<c>Type.a.b</c>, <c>(Type.a as T)</c>) — most branches — are walked on the POCO directly;
/// the rest go through Firely's FHIRPath engine, whose per-call set-up dominated indexing time.
/// </summary>
internal sealed partial class IndexPath
{
    private readonly (string[] Segments, string? AsType)[] _plain;
    private readonly CompiledExpression? _fhirPath;

    private IndexPath((string[] Segments, string? AsType)[] plain, CompiledExpression? fhirPath)
    {
        _plain = plain;
        _fhirPath = fhirPath;
    }

    /// <summary>Null when no branch of the expression applies to the type.</summary>
    public static IndexPath? For(string expression, string type)
    {
        List<(string[] Segments, string? AsType)> plain = [];
        List<string> other = [];
        foreach (string branch in CompiledPath.SplitUnion(expression).Where(b => CompiledPath.AppliesTo(b, type)))
        {
            Match match = PlainBranch().Match(branch);
            if (match.Success)
            {
                plain.Add((match.Groups["path"].Value.Split('.')[1..], match.Groups["as"].Success ? match.Groups["as"].Value : null));
            }
            else
            {
                other.Add(branch);
            }
        }

        return plain.Count == 0 && other.Count == 0
            ? null
            : new IndexPath([.. plain], other.Count == 0 ? null : CompiledPath.Compile(string.Join(" | ", other)));
    }

    /// <summary>Adds the selected values to <paramref name="into"/>; <paramref name="root"/> is created once per resource when FHIRPath is needed.</summary>
    public void Select(Resource resource, ref PocoNode? root, List<Base> into)
    {
        foreach ((string[] segments, string? asType) in _plain)
        {
            Walk(resource, segments, 0, asType, into);
        }

        if (_fhirPath is not null)
        {
            root ??= CompiledPath.Root(resource);
            into.AddRange(CompiledPath.Evaluate(_fhirPath, root));
        }
    }

    private static void Walk(Base node, string[] segments, int depth, string? asType, List<Base> into)
    {
        if (depth == segments.Length)
        {
            if (asType is null || node.TypeName == asType)
            {
                into.Add(node);
            }

            return;
        }

        if (!node.TryGetValue(segments[depth], out object? value))
        {
            return;
        }

        switch (value)
        {
            case Base single:
                Walk(single, segments, depth + 1, asType, into);
                break;
            case IReadOnlyList<Base> many:
                foreach (Base item in many)
                {
                    Walk(item, segments, depth + 1, asType, into);
                }

                break;
        }
    }

    [GeneratedRegex(@"^\(?(?<path>[A-Z][A-Za-z]+(\.[a-z][A-Za-z]*)+)(\s+as\s+(?<as>[A-Za-z]+))?\)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainBranch();
}
