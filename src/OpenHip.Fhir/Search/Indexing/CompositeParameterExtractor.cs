using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>
/// A composite parameter: for each element its expression selects, the components' values are taken from that same
/// element and every combination becomes one <see cref="CompositeIndexEntry"/> (a component's entries are named by
/// position, "0", "1", ...). Keeping the combination inside one element is what makes
/// <c>component-code-value-quantity</c> match a systolic value only with the systolic code.
/// </summary>
internal sealed class CompositeParameterExtractor(string code, IndexPath elements, IReadOnlyList<CompositeComponent> components) : ParameterExtractor(code)
{
    public override void Extract(Resource resource, ref PocoNode? root, List<Base> scratch, ICollection<IndexEntry> into)
    {
        elements.Select(resource, ref root, scratch);
        if (scratch.Count == 0)
        {
            return;
        }

        Base[] selected = [.. scratch];
        scratch.Clear();
        var parts = new List<IndexEntry>[components.Count];
        foreach (Base element in selected)
        {
            if (CollectParts(element, resource, ref root, scratch, parts))
            {
                Combine(parts, 0, new IndexEntry[parts.Length], into);
            }
        }
    }

    /// <summary>Each component's entries from the element; false when a component has none (no combination then).</summary>
    private bool CollectParts(Base element, Resource resource, ref PocoNode? root, List<Base> scratch, List<IndexEntry>[] parts)
    {
        for (int i = 0; i < components.Count; i++)
        {
            CompositeComponent component = components[i];
            List<IndexEntry> entries = parts[i] ??= [];
            entries.Clear();
            component.Path.SelectFrom(element, resource, ref root, scratch);
            foreach (Base value in scratch)
            {
                component.Convert(component.Position, value, entries);
            }

            scratch.Clear();

            // Only the component's own values take part: not :of-type twins, text-only tokens or a reference's identifier.
            entries.RemoveAll(e => e.Parameter != component.Position || e is TokenIndexEntry { Code: null }
                || (component.Type == SearchParamType.Reference && e is TokenIndexEntry));
            if (entries.Count == 0)
            {
                return false;
            }
        }

        return true;
    }

    private void Combine(List<IndexEntry>[] parts, int depth, IndexEntry[] current, ICollection<IndexEntry> into)
    {
        if (depth == parts.Length)
        {
            into.Add(new CompositeIndexEntry(Code, [.. current]));
            return;
        }

        foreach (IndexEntry entry in parts[depth])
        {
            current[depth] = entry;
            Combine(parts, depth + 1, current, into);
        }
    }
}
