namespace OpenHip.Conformance.Tests.Search;

/// <summary>
/// The search conformance suite: every case of every <c>Search/Data/*.json</c> file over HTTP against a real server.
/// Written once; each store inherits it with its own <see cref="SearchServers"/>, so it runs unchanged on every store.
/// Expected answers come from the FHIR R4 search specification, not from what a server happens to return.
/// </summary>
public abstract class SearchConformanceTests(SearchServers servers)
{
    [Theory]
    [MemberData(nameof(SearchFixtureCatalog.CaseIds), MemberType = typeof(SearchFixtureCatalog))]
    public async Task Search_FixtureCase_AnswersAsTheSpecificationSays(string searchCase)
    {
        (SearchFixture fixture, SearchCase found) = SearchFixtureCatalog.Find(searchCase);
        SearchServer server = await servers.ForAsync(fixture);

        IReadOnlyList<string> problems = await SearchCaseRunner.RunAsync(server, found);

        Assert.True(
            problems.Count == 0,
            $"{found.Method} {found.Query}{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}"
                + (found.Note is null ? string.Empty : $"{Environment.NewLine}  why: {found.Note}"));
    }
}
