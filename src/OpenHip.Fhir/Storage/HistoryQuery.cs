namespace OpenHip.Fhir.Storage;

/// <summary>
/// _history at system (Type null), type (Id null) or instance level, newest first.
/// Paging is keyset-based on the store's global sequence number, so pages stay stable while writes go on.
/// </summary>
/// <param name="Since">R4 <c>_since</c>: only versions with lastUpdated at or after it.</param>
/// <param name="Before">Exclusive upper bound on the sequence number (the cursor of the next page); null for the first page.</param>
public sealed record HistoryQuery(string? Type, string? Id, DateTimeOffset? Since, int Count, long? Before)
{
    /// <summary>System history only: the types the caller may see (null: every type).</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>
    /// The caller's access condition, evaluated on each resource's current version: versions of resources that do not
    /// (or no longer) meet it are left out. The engine still checks every returned version's own content.
    /// </summary>
    public Search.Expressions.SearchExpression? Visible { get; init; }
}
