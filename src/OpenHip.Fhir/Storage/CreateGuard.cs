namespace OpenHip.Fhir.Storage;

/// <summary>
/// A conditional create (If-None-Exist, or a conditional update that found nothing) asks the store to commit only if
/// no other current resource matches its criteria inside the commit's own transaction. Checking before the commit is
/// not enough once several requests, or several nodes, create the same resource at once.
/// </summary>
/// <param name="Criteria">The conditional query, as parsed for the first check.</param>
/// <param name="CreatedId">The id this changeset creates; it may match itself.</param>
public sealed record CreateGuard(TokenQuery Criteria, string CreatedId)
{
    /// <summary>
    /// The criteria in one canonical spelling (clause and value order do not matter), so two nodes guarding the same
    /// criteria lock the same key.
    /// </summary>
    public string Key =>
        Criteria.Type + "?" + string.Join("&", Criteria.Clauses
            .Select(c => c.Parameter + "=" + string.Join(",", c.AnyOf.Select(v => $"{v.System ?? "*"}|{v.Code ?? "*"}").Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal));
}
