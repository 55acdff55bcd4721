namespace OpenHip.Fhir.Search.Expressions;

/// <summary>
/// What the store evaluates for one page of a search: the types in scope, the filter, the order and the keyset
/// position. Includes, <c>_summary</c> and <c>_elements</c> are the engine's business, not the store's.
/// </summary>
/// <param name="Types">Resource types searched (one for a type-level search; several or all for a system search).</param>
/// <param name="Filter">null: every resource of the types.</param>
/// <param name="Sort">Sort keys in priority order; the store always breaks ties by its own stable row key.</param>
/// <param name="Count">Page size; 0 asks only for the total.</param>
/// <param name="Cursor">An opaque position from a previous <see cref="Storage.SearchPage"/>; null for the first page.</param>
public sealed record SearchQuery(
    IReadOnlyList<string> Types,
    SearchExpression? Filter,
    IReadOnlyList<SortKey> Sort,
    int Count,
    string? Cursor,
    TotalMode Total);

/// <summary>
/// One <c>_sort</c> key. <see cref="Parameter"/> is a parameter code of <see cref="Kind"/>, or <c>_id</c> / <c>_lastUpdated</c>.
/// Multi-valued parameters sort by their lowest value ascending and highest value descending; resources without a
/// value come last either way.
/// </summary>
public sealed record SortKey(string Parameter, IndexKind Kind, bool Descending);

public enum TotalMode
{
    None,
    Estimate,
    Accurate,
}
