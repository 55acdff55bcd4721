using Hl7.Fhir.Model;
using Hl7.FhirPath;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>
/// A search parameter's expression prepared for one resource type. R4 defines shared parameters as unions over many
/// types ("AllergyIntolerance.code | Condition.code | ... | Observation.code"); only the branches that apply to the type
/// are kept. Branches <see cref="PathParser"/> recognises — nearly all — are walked on the POCO directly, a few others
/// are written out (<see cref="NativeBranches"/>), and the rest go through Firely's FHIRPath engine, whose per-call
/// set-up dominated indexing time.
/// </summary>
internal sealed class IndexPath
{
    private readonly PathStep[][] _plain;
    private readonly Func<Resource, Base?>[] _native;
    private readonly CompiledExpression? _fhirPath;

    private IndexPath(PathStep[][] plain, Func<Resource, Base?>[] native, CompiledExpression? fhirPath)
    {
        _plain = plain;
        _native = native;
        _fhirPath = fhirPath;
    }

    /// <summary>The branches when every one is a plain path (the JSON walk mirrors those), else null.</summary>
    public IReadOnlyList<PathStep[]>? PlainBranches => _native.Length == 0 && _fhirPath is null ? _plain : null;

    /// <summary>Whether no branch needs FHIRPath.</summary>
    public bool IsPlain => _fhirPath is null;

    /// <summary>Null when no branch of the expression applies to the type.</summary>
    public static IndexPath? For(string expression, string type) =>
        Build(CompiledPath.SplitUnion(expression).Where(b => CompiledPath.AppliesTo(b, type)), type);

    /// <summary>An expression relative to an element selected by another one (a composite's components).</summary>
    public static IndexPath ForElement(string expression) => Build(CompiledPath.SplitUnion(expression), null)!;

    /// <summary>Adds the selected values to <paramref name="into"/>; <paramref name="root"/> is created once per resource when FHIRPath is needed.</summary>
    public void Select(Resource resource, ref PocoNode? root, List<Base> into) => SelectFrom(resource, resource, ref root, into);

    /// <summary>
    /// Like <see cref="Select"/>, starting at <paramref name="focus"/> (an element of <paramref name="resource"/>, or the
    /// resource itself).
    /// </summary>
    public void SelectFrom(Base focus, Resource resource, ref PocoNode? root, List<Base> into)
    {
        foreach (PathStep[] steps in _plain)
        {
            Walk(focus, resource, steps, 0, into);
        }

        foreach (Func<Resource, Base?> native in _native)
        {
            if (native(resource) is { } value)
            {
                into.Add(value);
            }
        }

        if (_fhirPath is not null)
        {
            root ??= CompiledPath.Root(resource);
            PocoNode start = ReferenceEquals(focus, resource) ? root : CompiledPath.Root(focus);
            into.AddRange(CompiledPath.Evaluate(_fhirPath, start, root));
        }
    }

    private static IndexPath? Build(IEnumerable<string> branches, string? type)
    {
        List<PathStep[]> plain = [];
        List<Func<Resource, Base?>> native = [];
        List<string> other = [];
        foreach (string branch in branches)
        {
            if (PathParser.Parse(branch, type) is { } steps)
            {
                plain.Add(steps);
            }
            else if (type is not null && NativeBranches.For(branch) is { } written)
            {
                native.Add(written);
            }
            else
            {
                other.Add(branch);
            }
        }

        return plain.Count == 0 && native.Count == 0 && other.Count == 0
            ? null
            : new IndexPath([.. plain], [.. native], other.Count == 0 ? null : CompiledPath.Compile(string.Join(" | ", other)));
    }

    private static void Walk(Base node, Resource resource, PathStep[] steps, int depth, List<Base> into)
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
                if (node.TryGetValue(step.Name, out object? value))
                {
                    WalkChild(value, resource, steps, depth, into);
                }

                break;
            case PathStepKind.OfType:
                if (step.ClrType is { } clr ? clr.IsInstanceOfType(node) : string.Equals(node.TypeName, step.Name, StringComparison.OrdinalIgnoreCase))
                {
                    Walk(node, resource, steps, depth + 1, into);
                }

                break;
            case PathStepKind.WhereEquals:
                if (node.TryGetValue(step.Name, out object? member) && member is PrimitiveType primitive
                    && PrimitiveText.Of(primitive) == step.Value)
                {
                    Walk(node, resource, steps, depth + 1, into);
                }

                break;
            case PathStepKind.WhereResolveIs:
                if (node is ResourceReference reference && LiteralReference.TargetType(reference) == step.Name)
                {
                    Walk(node, resource, steps, depth + 1, into);
                }

                break;
            case PathStepKind.Resource:
                Walk(resource, resource, steps, depth + 1, into);
                break;
        }
    }

    private static void WalkChild(object value, Resource resource, PathStep[] steps, int depth, List<Base> into)
    {
        switch (value)
        {
            case Base single:
                if (steps[depth].Index <= 0)
                {
                    Walk(single, resource, steps, depth + 1, into);
                }

                break;
            case IReadOnlyList<Base> many when steps[depth].Index >= 0:
                if (steps[depth].Index < many.Count)
                {
                    Walk(many[steps[depth].Index], resource, steps, depth + 1, into);
                }

                break;
            case IReadOnlyList<Base> many:
                // An indexed loop: foreach over the interface would allocate an enumerator per list.
                for (int i = 0; i < many.Count; i++)
                {
                    Walk(many[i], resource, steps, depth + 1, into);
                }

                break;
        }
    }
}
