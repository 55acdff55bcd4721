namespace OpenHip.Fhir.Storage.Relational;

/// <summary>
/// One row of a resource's search index as the ix_* tables keep it: the parameter code it is filed under (a
/// composite's component under <c>code$component</c>) and the composite group it belongs to (null outside composites).
/// </summary>
public readonly record struct IndexRow(string Code, IndexEntry Entry, int? Group)
{
    /// <summary>The rows of a resource's index entries, composites numbered 1, 2, ... within the resource.</summary>
    public static IEnumerable<IndexRow> Of(IReadOnlyList<IndexEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        int group = 0;
        foreach (IndexEntry entry in entries)
        {
            if (entry is CompositeIndexEntry composite)
            {
                group++;
                foreach (IndexEntry component in composite.Components)
                {
                    yield return new IndexRow(composite.Parameter + "$" + component.Parameter, component, group);
                }
            }
            else
            {
                yield return new IndexRow(entry.Parameter, entry, null);
            }
        }
    }
}
