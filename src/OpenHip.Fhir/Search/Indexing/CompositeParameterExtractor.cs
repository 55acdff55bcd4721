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
    // An Observation runs eight composites and most find no value of their kind: working lists are per thread, and
    // nothing is converted until every component has a value.
    [ThreadStatic]
    private static Workspace? _workspace;

    public IndexPath Elements => elements;

    public IReadOnlyList<CompositeComponent> Components => components;

    public override void Extract(Resource resource, ref PocoNode? root, List<Base> scratch, ICollection<IndexEntry> into)
    {
        Workspace work = _workspace ??= new Workspace();
        work.Fit(components.Count);
        elements.Select(resource, ref root, work.Elements);
        try
        {
            foreach (Base element in work.Elements)
            {
                if (SelectComponents(element, resource, ref root, work) && ConvertComponents(work))
                {
                    Combine(Code, components.Count, work.Parts, 0, work.Current, into);
                }
            }
        }
        finally
        {
            work.Clear();
        }
    }

    /// <summary>Each component's values within the element; false as soon as one has none (no combination then).</summary>
    private bool SelectComponents(Base element, Resource resource, ref PocoNode? root, Workspace work)
    {
        for (int i = 0; i < components.Count; i++)
        {
            List<Base> values = work.Values[i];
            values.Clear();
            components[i].Path.SelectFrom(element, resource, ref root, values);
            if (values.Count == 0)
            {
                return false;
            }
        }

        return true;
    }

    private bool ConvertComponents(Workspace work)
    {
        for (int i = 0; i < components.Count; i++)
        {
            CompositeComponent component = components[i];
            List<IndexEntry> entries = work.Parts[i];
            entries.Clear();
            foreach (Base value in work.Values[i])
            {
                component.Convert(component.Position, value, entries);
            }

            for (int e = entries.Count - 1; e >= 0; e--)
            {
                if (!TakesPart(component, entries[e]))
                {
                    entries.RemoveAt(e);
                }
            }

            if (entries.Count == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Only the component's own values take part: not :of-type twins, text-only tokens or a reference's identifier.</summary>
    public static bool TakesPart(CompositeComponent component, IndexEntry entry) =>
        entry.Parameter == component.Position
        && entry is not TokenIndexEntry { Code: null }
        && !(component.Type == SearchParamType.Reference && entry is TokenIndexEntry);

    /// <summary>Every combination of one entry per component (<paramref name="current"/> holds the one being built).</summary>
    public static void Combine(string code, int count, List<IndexEntry>[] parts, int depth, IndexEntry[] current, ICollection<IndexEntry> into)
    {
        if (depth == count)
        {
            into.Add(new CompositeIndexEntry(code, current[..depth]));
            return;
        }

        foreach (IndexEntry entry in parts[depth])
        {
            current[depth] = entry;
            Combine(code, count, parts, depth + 1, current, into);
        }
    }

    private sealed class Workspace
    {
        public List<Base> Elements { get; } = [];

        public List<Base>[] Values { get; private set; } = [];

        public List<IndexEntry>[] Parts { get; private set; } = [];

        public IndexEntry[] Current { get; private set; } = [];

        public void Fit(int components)
        {
            if (Values.Length >= components)
            {
                return;
            }

            Values = [.. Enumerable.Range(0, components).Select(_ => new List<Base>())];
            Parts = [.. Enumerable.Range(0, components).Select(_ => new List<IndexEntry>())];
            Current = new IndexEntry[components];
        }

        public void Clear()
        {
            Elements.Clear();
            foreach (List<Base> values in Values)
            {
                values.Clear();
            }

            foreach (List<IndexEntry> parts in Parts)
            {
                parts.Clear();
            }
        }
    }
}
