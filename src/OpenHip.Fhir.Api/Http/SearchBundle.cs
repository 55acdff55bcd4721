using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Transactions;

namespace OpenHip.Fhir.Api.Http;

/// <summary>The searchset Bundle of one page: links, matches, includes and an outcome entry for what was not applied.</summary>
internal static class SearchBundle
{
    public static ResponseBundle Build(SearchResult result, string linkBase)
    {
        ParsedSearch parsed = result.Request;
        var bundle = new ResponseBundle(Bundle.BundleType.Searchset) { Total = result.Page.Total };
        bundle.Links.Add(new("self", Link(linkBase, parsed.SelfLinkQuery)));
        if (parsed.Query.Cursor is not null)
        {
            bundle.Links.Add(new("first", Link(linkBase, parsed.LinkQuery(null))));
        }

        if (result.Page.PreviousCursor is { } previous)
        {
            bundle.Links.Add(new("previous", Link(linkBase, parsed.LinkQuery(previous))));
        }

        if (result.Page.NextCursor is { } next)
        {
            bundle.Links.Add(new("next", Link(linkBase, parsed.LinkQuery(next))));
        }

        (SummaryType summary, string[]? elements) = Subset(parsed);
        foreach (StoredResource match in result.Page.Resources)
        {
            bundle.Entries.Add(Entry(match, Bundle.SearchEntryMode.Match, summary, elements));
        }

        // R4: "the list of elements does not apply to included resources".
        foreach (StoredResource included in result.Included)
        {
            bundle.Entries.Add(Entry(included, Bundle.SearchEntryMode.Include, summary, null));
        }

        if (result.Warnings.Count > 0)
        {
            var outcome = new OperationOutcome();
            outcome.Issue.AddRange(result.Warnings.Select(w => new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Warning,
                Code = OperationOutcome.IssueType.NotSupported,
                Diagnostics = w,
            }));
            bundle.Entries.Add(new ResponseEntry { Resource = outcome, SearchMode = Bundle.SearchEntryMode.Outcome });
        }

        return bundle;
    }

    private static ResponseEntry Entry(StoredResource stored, Bundle.SearchEntryMode mode, SummaryType summary, string[]? elements) => new()
    {
        FullUrl = $"{stored.Type}/{stored.Id}",
        ResourceJson = summary == SummaryType.False && elements is null
            ? stored.Json
            : FhirCodec.ToJsonBytes(FhirCodec.ParseStored(stored.Json.Span), false, summary, elements),
        SearchMode = mode,
    };

    private static (SummaryType Summary, string[]? Elements) Subset(ParsedSearch parsed) => parsed.Summary switch
    {
        SummaryMode.True => (SummaryType.True, null),
        SummaryMode.Text => (SummaryType.Text, null),
        SummaryMode.Data => (SummaryType.Data, null),
        // id and meta stay: a returned resource without its id could not be read back or updated.
        _ => (SummaryType.False, parsed.Elements.Count == 0 ? null : [.. parsed.Elements.Union(["id", "meta"])]),
    };

    private static string Link(string linkBase, string query) => query.Length == 0 ? linkBase : $"{linkBase}?{query}";
}
