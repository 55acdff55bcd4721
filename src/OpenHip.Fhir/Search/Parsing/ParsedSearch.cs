using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// A search request after parsing: what the store evaluates (<see cref="Query"/>) plus what the engine does around it.
/// </summary>
/// <param name="Query">Types, filter, sort, page size, cursor (<c>_cursor</c>) and total mode for the store.</param>
/// <param name="Includes"><c>_include</c> directives, in canonical order.</param>
/// <param name="RevIncludes"><c>_revinclude</c> directives, in canonical order.</param>
/// <param name="Summary"><c>_summary</c>; <see cref="SummaryMode.False"/> when absent.</param>
/// <param name="Elements"><c>_elements</c>: element names to keep; empty when absent.</param>
/// <param name="Ignored">What a lenient search left out, with the reason; the API reports these in an OperationOutcome.</param>
/// <param name="AppliedQuery">
/// The parameters actually applied, as a URL query string in a stable order and without <c>_cursor</c>; ignored
/// parameters are left out so the links show what was done.
/// </param>
public sealed record ParsedSearch(
    SearchQuery Query,
    IReadOnlyList<SearchInclude> Includes,
    IReadOnlyList<SearchInclude> RevIncludes,
    SummaryMode Summary,
    IReadOnlyList<string> Elements,
    IReadOnlyList<IgnoredParameter> Ignored,
    string AppliedQuery)
{
    /// <summary>The query string of this page's self link.</summary>
    public string SelfLinkQuery => LinkQuery(Query.Cursor);

    /// <summary>The query string of a link to the page at <paramref name="cursor"/> (next/previous), or to the first page when null.</summary>
    public string LinkQuery(string? cursor)
    {
        if (cursor is null)
        {
            return AppliedQuery;
        }

        string cursorPart = "_cursor=" + QueryStringEncoding.Encode(cursor);
        return AppliedQuery.Length == 0 ? cursorPart : AppliedQuery + "&" + cursorPart;
    }
}
