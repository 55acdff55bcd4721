using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Terminology;
using OpenHip.Fhir.Storage;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>The store's half of search: expression trees and index entries in, ordered pages out.</summary>
public abstract partial class FhirStoreContractTests
{
    private static readonly DateTimeOffset Y2020 = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected async Task<List<string>> SearchIdsAsync(string type, SearchExpression? filter, params SortKey[] sort)
    {
        SearchPage page = await Store.SearchAsync(new SearchQuery([type], filter, sort, 100, null, TotalMode.None), None);
        return [.. page.Resources.Select(r => r.Id)];
    }

    private static DateIndexEntry Date(string parameter, DateTimeOffset low, DateTimeOffset high) => new(parameter, low, high);

    private static ReferenceIndexEntry Ref(string parameter, string type, string id) => new(parameter, type, id, null);

    private static DateExpression DateSearch(SearchPrefix prefix, int year) =>
        new("date", prefix, new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(-1));

    /// <summary>d2019: all of 2019; d2020: 2020-06-01; dspan: 2019-12-30 .. 2020-01-02; d2021: 2021-03-01; none: no date.</summary>
    private async Task SeedDatesAsync()
    {
        DateTimeOffset june = new(2020, 6, 1, 0, 0, 0, TimeSpan.Zero);
        await CommitAsync(
            Create("Observation", "d2019", index: [Date("date", Y2020.AddYears(-1), Y2020.AddMilliseconds(-1))]),
            Create("Observation", "d2020", index: [Date("date", june, june)]),
            Create("Observation", "dspan", index: [Date("date", Y2020.AddDays(-2), Y2020.AddDays(2))]),
            Create("Observation", "d2021", index: [Date("date", new DateTimeOffset(2021, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2021, 3, 1, 0, 0, 0, TimeSpan.Zero))]),
            Create("Observation", "none"));
    }

    [SkippableTheory]
    [InlineData(SearchPrefix.Eq, "d2020")]
    [InlineData(SearchPrefix.Ne, "d2019,d2021,dspan")]
    [InlineData(SearchPrefix.Gt, "d2021")]
    [InlineData(SearchPrefix.Lt, "d2019,dspan")]
    [InlineData(SearchPrefix.Ge, "d2020,d2021")]
    [InlineData(SearchPrefix.Le, "d2019,d2020,dspan")]
    [InlineData(SearchPrefix.Sa, "d2021")]
    [InlineData(SearchPrefix.Eb, "d2019")]
    public async Task Search_DatePrefixes_FollowTheRangeRules(SearchPrefix prefix, string expected)
    {
        await SeedDatesAsync();

        List<string> ids = await SearchIdsAsync("Observation", DateSearch(prefix, 2020));

        Assert.Equal(expected, string.Join(",", ids.Order(StringComparer.Ordinal)));
    }

    [SkippableFact]
    public async Task Search_SortByDate_AscendingLowestFirstAndMissingLast()
    {
        await SeedDatesAsync();

        List<string> ascending = await SearchIdsAsync("Observation", null, new SortKey("date", IndexKind.Date, false));
        List<string> descending = await SearchIdsAsync("Observation", null, new SortKey("date", IndexKind.Date, true));

        Assert.Equal(["d2019", "dspan", "d2020", "d2021", "none"], ascending);
        Assert.Equal(["d2021", "d2020", "dspan", "d2019", "none"], descending);
    }

    [SkippableFact]
    public async Task Search_StringMatches_PrefixExactAndContains()
    {
        await CommitAsync(
            Create("Patient", "a", index: [new StringIndexEntry("name", "muller", "Müller")]),
            Create("Patient", "b", index: [new StringIndexEntry("name", "mullerova", "Mullerová")]),
            Create("Patient", "c", index: [new StringIndexEntry("name", "张伟", "张伟")]),
            Create("Patient", "d", index: [new StringIndexEntry("name", "100%_x", "100%_x")]));

        Assert.Equal(["a", "b"], await SearchIdsAsync("Patient", new StringExpression("name", StringMatch.StartsWith, "mul")));
        Assert.Equal(["a"], await SearchIdsAsync("Patient", new StringExpression("name", StringMatch.Exact, "Müller")));
        Assert.Empty(await SearchIdsAsync("Patient", new StringExpression("name", StringMatch.Exact, "muller")));
        Assert.Equal(["b"], await SearchIdsAsync("Patient", new StringExpression("name", StringMatch.Contains, "ova")));
        Assert.Equal(["c"], await SearchIdsAsync("Patient", new StringExpression("name", StringMatch.StartsWith, "张")));
        Assert.Equal(["c"], await SearchIdsAsync("Patient", new StringExpression("name", StringMatch.Contains, "伟")));
        Assert.Equal(["d"], await SearchIdsAsync("Patient", new StringExpression("name", StringMatch.Contains, "%_")));
    }

    [SkippableFact]
    public async Task Search_TokenTextAndNot_MatchDisplayAndExcludeIncludingMissing()
    {
        await CommitAsync(
            Create("Observation", "flu", index: [new TokenIndexEntry("code", "urn:icd", "J10", "influenza")]),
            Create("Observation", "cold", index: [new TokenIndexEntry("code", "urn:icd", "J00", "common cold")]),
            Create("Observation", "bare"));

        Assert.Equal(["flu"], await SearchIdsAsync("Observation", new TokenTextExpression("code", "influ")));
        Assert.Equal(["cold", "bare"], await SearchIdsAsync("Observation", new NotExpression(new TokenExpression("code", null, "J10"))));
    }

    [SkippableFact]
    public async Task Search_TokenSetOf50000Codes_MatchesBySystemAndCodeInOneParameter()
    {
        await CommitAsync(
            Create("Observation", "in", index: [new TokenIndexEntry("code", "urn:tx", "c49999", null)]),
            Create("Observation", "other-system", index: [new TokenIndexEntry("code", "urn:other", "c17", null)]),
            Create("Observation", "outside", index: [new TokenIndexEntry("code", "urn:tx", "x1", null)]),
            Create("Observation", "status-only", index: [new TokenIndexEntry("status", "urn:s", "final", null)]));

        // Far past SQLite's bound-parameter limit: the set must travel as one value.
        CodeToken[] tokens = [.. Enumerable.Range(0, 50_000).Select(i => new CodeToken("urn:tx", "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))];
        var set = new TokenSetExpression("code", tokens);

        Assert.Equal(["in"], await SearchIdsAsync("Observation", set));
        Assert.Equal(["other-system", "outside", "status-only"], await SearchIdsAsync("Observation", new NotExpression(set)));
        Assert.Empty(await SearchIdsAsync("Observation", new AndExpression([new TokenExpression("status", null, "final"), set])));
        Assert.Empty(await SearchIdsAsync("Observation", new TokenSetExpression("code", [])));
    }

    [SkippableFact]
    public async Task Search_BelowWithClosure_UsesClosureRowsOnlyWhileRecordedCompleteForTheFingerprint()
    {
        // Closure rows as the indexer writes them: each coded token again under code:below, for itself and each ancestor.
        await CommitAsync(
            Create("Observation", "flu", index: [Token("code", "urn:tx", "flu"), Token("code:below", "urn:tx", "flu"), Token("code:below", "urn:tx", "resp")]),
            Create("Observation", "resp", index: [Token("code", "urn:tx", "resp"), Token("code:below", "urn:tx", "resp")]),
            Create("Observation", "htn", index: [Token("code", "urn:tx", "htn"), Token("code:below", "urn:tx", "htn"), Token("code:below", "urn:tx", "cardio")]),
            Create("Observation", "other-system", index: [Token("code", "urn:other", "flu"), Token("code:below", "urn:other", "resp")]));

        // The resolved set here deliberately differs from the closure, so the answer shows which one the store used.
        var set = new TokenSetExpression("code", [new CodeToken("urn:tx", "htn")], new ClosureLookup("urn:tx", "resp", "f1"));
        AndExpression checkedPerRow = new([new IdExpression(["flu", "htn", "resp"]), set]);

        Assert.Equal(["htn"], await SearchIdsAsync("Observation", set));

        await Store.SetStateAsync(TokenClosure.StateKey("urn:tx"), "f1", None);
        Assert.Equal(["flu", "resp"], await SearchIdsAsync("Observation", set));
        Assert.Equal(["flu", "resp"], await SearchIdsAsync("Observation", checkedPerRow));
        Assert.Equal(["htn", "other-system"], await SearchIdsAsync("Observation", new NotExpression(set)));

        // Recorded for another hierarchy (a change being reindexed): the resolved set answers again.
        await Store.SetStateAsync(TokenClosure.StateKey("urn:tx"), "f0", None);
        Assert.Equal(["htn"], await SearchIdsAsync("Observation", set));
        Assert.Equal(["htn"], await SearchIdsAsync("Observation", checkedPerRow));
    }

    [SkippableFact]
    public async Task Search_NumberAndQuantity_PrecisionRangeAndCanonicalUnits()
    {
        await CommitAsync(
            Create("RiskAssessment", "n100", index: [new NumberIndexEntry("probability", 100.2m)]),
            Create("RiskAssessment", "n101", index: [new NumberIndexEntry("probability", 100.6m)]),
            Create("Observation", "mg", index: [new QuantityIndexEntry("value-quantity", 1000m, "http://unitsofmeasure.org", "mg", "mg", 1m, "g")]),
            Create("Observation", "kg", index: [new QuantityIndexEntry("value-quantity", 1m, "http://unitsofmeasure.org", "kg", "kg", 1000m, "g")]));

        Assert.Equal(["n100"], await SearchIdsAsync("RiskAssessment", new NumberExpression("probability", SearchPrefix.Eq, 100m, 99.5m, 100.5m)));
        Assert.Equal(["n101"], await SearchIdsAsync("RiskAssessment", new NumberExpression("probability", SearchPrefix.Gt, 100.5m, 100.45m, 100.55m)));
        Assert.Equal(["mg"], await SearchIdsAsync("Observation", new QuantityExpression("value-quantity", SearchPrefix.Eq, 1m, 0.95m, 1.05m, null, "g", true)));
        Assert.Equal(["kg"], await SearchIdsAsync("Observation", new QuantityExpression("value-quantity", SearchPrefix.Eq, 1m, 0.5m, 1.5m, "http://unitsofmeasure.org", "kg", false)));
        Assert.Equal(["kg"], await SearchIdsAsync("Observation", new QuantityExpression("value-quantity", SearchPrefix.Gt, 10m, 10m, 10m, null, "g", true)));
    }

    [SkippableFact]
    public async Task Search_UriBelowAndReferenceForms()
    {
        await CommitAsync(
            Create("ValueSet", "v1", index: [new UriIndexEntry("url", "http://example.org/fhir/ValueSet/a")]),
            Create("ValueSet", "v2", index: [new UriIndexEntry("url", "http://example.org/other")]),
            Create("Observation", "local", index: [Ref("subject", "Patient", "p1")]),
            Create("Observation", "remote", index: [new ReferenceIndexEntry("subject", "Patient", "p1", "http://elsewhere.org/fhir/Patient/p1")]),
            Create("Observation", "group", index: [Ref("subject", "Group", "p1")]));

        Assert.Equal(["v1"], await SearchIdsAsync("ValueSet", new UriExpression("url", UriMatch.Below, "http://example.org/fhir")));
        Assert.Equal(["v2"], await SearchIdsAsync("ValueSet", new UriExpression("url", UriMatch.Exact, "http://example.org/other")));
        Assert.Equal(["local"], await SearchIdsAsync("Observation", new ReferenceExpression("subject", "Patient", "p1", null)));
        Assert.Equal(["local", "group"], await SearchIdsAsync("Observation", new ReferenceExpression("subject", null, "p1", null)));
        Assert.Equal(["remote"], await SearchIdsAsync("Observation", new ReferenceExpression("subject", null, null, "http://elsewhere.org/fhir/Patient/p1")));
    }

    [SkippableFact]
    public async Task Search_MissingAndCompartment()
    {
        await CommitAsync(
            Create("Observation", "with", index: [Token("code", null, "x")], compartments: ["p1"]),
            Create("Observation", "without", compartments: ["p2"]));

        Assert.Equal(["without"], await SearchIdsAsync("Observation", new MissingExpression("code", IndexKind.Token, true)));
        Assert.Equal(["with"], await SearchIdsAsync("Observation", new MissingExpression("code", IndexKind.Token, false)));
        Assert.Equal(["without"], await SearchIdsAsync("Observation", new CompartmentExpression("p2")));
    }

    [SkippableFact]
    public async Task Search_Composite_RequiresBothComponentsFromTheSameElement()
    {
        // "mixed" has code A with 5 and code B with 9; A with 9 never occurs in one component.
        static CompositeIndexEntry Component(string code, decimal value) =>
            new("component-code-value-quantity", [Token("0", null, code), new QuantityIndexEntry("1", value, null, "mg", null, null, null)]);
        await CommitAsync(
            Create("Observation", "mixed", index: [Component("A", 5), Component("B", 9)]),
            Create("Observation", "match", index: [Component("A", 9)]));

        var search = new CompositeExpression(
            "component-code-value-quantity",
            [new TokenExpression("0", null, "A"), new QuantityExpression("1", SearchPrefix.Gt, 8, 8, 8, null, "mg", false)]);

        Assert.Equal(["match"], await SearchIdsAsync("Observation", search));
    }

    [SkippableFact]
    public async Task Search_ChainAndReverseChain_FollowReferencesToCurrentResources()
    {
        await CommitAsync(
            Create("Patient", "zhang", index: [new StringIndexEntry("name", "zhang", "Zhang")]),
            Create("Patient", "li", index: [new StringIndexEntry("name", "li", "Li")]),
            Create("Observation", "oz", index: [Ref("subject", "Patient", "zhang"), Token("code", null, "flu")]),
            Create("Observation", "ol", index: [Ref("subject", "Patient", "li"), Token("code", null, "cold")]));

        var chain = new ChainExpression("subject", ["Patient"], new StringExpression("name", StringMatch.StartsWith, "zh"));
        var reverse = new ReverseChainExpression("Observation", "subject", new TokenExpression("code", null, "cold"));

        Assert.Equal(["oz"], await SearchIdsAsync("Observation", chain));
        Assert.Equal(["li"], await SearchIdsAsync("Patient", reverse));

        await CommitAsync(Delete("Patient", "zhang", 2));
        Assert.Empty(await SearchIdsAsync("Observation", chain));
    }

    [SkippableFact]
    public async Task Search_PagingForwardAndBack_VisitsEveryRowOnceDespiteInsertsBetweenPages()
    {
        for (int i = 0; i < 7; i++)
        {
            await CommitAsync(Create("Patient", $"p{i}", index: [new StringIndexEntry("family", $"f{i % 3}", $"F{i % 3}")]));
        }

        var sort = new SortKey[] { new("family", IndexKind.String, false) };
        var seen = new List<string>();
        SearchPage page = await Store.SearchAsync(new SearchQuery(["Patient"], null, sort, 3, null, TotalMode.Accurate), None);
        Assert.Null(page.PreviousCursor);
        Assert.Equal(7, page.Total);
        seen.AddRange(page.Resources.Select(r => r.Id));

        // Sorts before everything already seen: must not shift the next pages.
        await CommitAsync(Create("Patient", "early", index: [new StringIndexEntry("family", "a", "A")]));
        var cursors = new List<string>();
        while (page.NextCursor is { } next)
        {
            cursors.Add(next);
            page = await Store.SearchAsync(new SearchQuery(["Patient"], null, sort, 3, next, TotalMode.None), None);
            seen.AddRange(page.Resources.Select(r => r.Id));
        }

        Assert.Equal(["p0", "p3", "p6", "p1", "p4", "p2", "p5"], seen);

        SearchPage last = await Store.SearchAsync(new SearchQuery(["Patient"], null, sort, 3, cursors[^1], TotalMode.None), None);
        SearchPage back = await Store.SearchAsync(new SearchQuery(["Patient"], null, sort, 3, last.PreviousCursor, TotalMode.None), None);
        SearchPage first = await Store.SearchAsync(new SearchQuery(["Patient"], null, sort, 3, back.PreviousCursor, TotalMode.None), None);
        SearchPage before = await Store.SearchAsync(new SearchQuery(["Patient"], null, sort, 3, first.PreviousCursor, TotalMode.None), None);
        Assert.Equal(["p1", "p4", "p2"], back.Resources.Select(r => r.Id));
        Assert.Equal(["p0", "p3", "p6"], first.Resources.Select(r => r.Id));
        Assert.Equal(["early"], before.Resources.Select(r => r.Id));
        Assert.Null(before.PreviousCursor);
        Assert.NotNull(before.NextCursor);
    }

    [SkippableFact]
    public async Task Search_SortOnSeveralKeysWithTies_BreaksTiesByTheNextKeyThenInsertOrder()
    {
        await CommitAsync(
            Create("Patient", "a", At(3), [new StringIndexEntry("family", "wang", "Wang")]),
            Create("Patient", "b", At(1), [new StringIndexEntry("family", "li", "Li")]),
            Create("Patient", "c", At(2), [new StringIndexEntry("family", "wang", "Wang")]),
            Create("Patient", "d", At(2), [new StringIndexEntry("family", "wang", "Wang")]));

        List<string> ids = await SearchIdsAsync(
            "Patient", null, new SortKey("family", IndexKind.String, true), new SortKey("_lastUpdated", IndexKind.Date, false));

        Assert.Equal(["c", "d", "a", "b"], ids);
    }

    [SkippableFact]
    public async Task Search_SeveralTypesAndTotalOnly()
    {
        await CommitAsync(Create("Patient", "p"), Create("Practitioner", "r"), Create("Observation", "o"));

        SearchPage two = await Store.SearchAsync(new SearchQuery(["Patient", "Practitioner"], null, [], 10, null, TotalMode.Accurate), None);
        SearchPage all = await Store.SearchAsync(new SearchQuery([], null, [], 0, null, TotalMode.Accurate), None);

        Assert.Equal(["p", "r"], two.Resources.Select(r => r.Id));
        Assert.Equal(3, all.Total);
        Assert.Empty(all.Resources);
    }

    [SkippableFact]
    public async Task Search_ForeignCursor_IsRejectedAsBadRequest()
    {
        FhirException error = await Assert.ThrowsAsync<FhirException>(
            () => Store.SearchAsync(new SearchQuery(["Patient"], null, [], 10, "not-a-cursor", TotalMode.None), None));

        Assert.Equal(FhirErrorKind.BadRequest, error.Kind);
    }

    [SkippableFact]
    public async Task Include_ForwardAndReverse_ReturnCurrentTargetsOnce()
    {
        await CommitAsync(
            Create("Patient", "p1"),
            Create("Practitioner", "dr"),
            Create("Observation", "o1", index: [Ref("subject", "Patient", "p1"), Ref("performer", "Practitioner", "dr")]),
            Create("Observation", "o2", index: [Ref("subject", "Patient", "p1")]),
            Create("Observation", "o3", index: [Ref("subject", "Patient", "gone")]));

        IReadOnlyList<StoredResource> subjects = await Store.IncludeAsync(
            new IncludeRequest([new("Observation", "o1"), new("Observation", "o2"), new("Observation", "o3")], "Observation", "subject", null, false, 100), None);
        IReadOnlyList<StoredResource> everything = await Store.IncludeAsync(
            new IncludeRequest([new("Observation", "o1")], "Observation", null, "Practitioner", false, 100), None);
        IReadOnlyList<StoredResource> reverse = await Store.IncludeAsync(
            new IncludeRequest([new("Patient", "p1")], "Observation", "subject", null, true, 100), None);

        Assert.Equal(["p1"], subjects.Select(r => r.Id));
        Assert.Equal(["dr"], everything.Select(r => r.Id));
        Assert.Equal(["o1", "o2"], reverse.Select(r => r.Id));
    }

    [SkippableFact]
    public async Task Search_AfterUpdate_IndexFollowsTheCurrentVersionOnly()
    {
        await CommitAsync(Create("Observation", "o", index: [Token("code", null, "old")]));
        await CommitAsync(Update("Observation", "o", 2, index: [Token("code", null, "new")]));

        Assert.Empty(await SearchIdsAsync("Observation", new TokenExpression("code", null, "old")));
        Assert.Equal(["o"], await SearchIdsAsync("Observation", new TokenExpression("code", null, "new")));
    }

    [SkippableFact]
    public async Task ReplaceIndex_CurrentVersionOnly_ChangesWhatSearchFinds()
    {
        await CommitAsync(Create("Observation", "o1", index: [Token("code", null, "a")]), Create("Observation", "o2", index: [Token("code", null, "a")]));
        await CommitAsync(Update("Observation", "o2", 2, index: [Token("code", null, "a")]));

        int replaced = await Store.ReplaceIndexAsync(
            [new IndexReplacement(new("Observation", "o1"), 1, [Token("code", null, "b")]), new IndexReplacement(new("Observation", "o2"), 1, [Token("code", null, "b")])],
            None);

        Assert.Equal(1, replaced);
        Assert.Equal(["o1"], await SearchIdsAsync("Observation", new TokenExpression("code", null, "b")));
        Assert.Equal(["o2"], await SearchIdsAsync("Observation", new TokenExpression("code", null, "a")));
    }

    [SkippableFact]
    public async Task State_SetGetAndRemove_SurvivesReopen()
    {
        await Store.SetStateAsync("reindex-required", "because", None);
        await ReopenAsync();
        string? value = await Store.GetStateAsync("reindex-required", None);
        await Store.SetStateAsync("reindex-required", null, None);

        Assert.Equal("because", value);
        Assert.Null(await Store.GetStateAsync("reindex-required", None));
    }

    [SkippableFact]
    public async Task State_AddIfAbsent_ConcurrentCallersAllGetTheFirstValue()
    {
        string[] standing = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Store.AddStateIfAbsentAsync("first-key", "value-" + i, None)));

        Assert.Single(standing.Distinct());
        Assert.Equal(standing[0], await Store.GetStateAsync("first-key", None));
        Assert.Equal(standing[0], await Store.AddStateIfAbsentAsync("first-key", "later", None));
    }
}
