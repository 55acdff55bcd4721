using OpenHip.Fhir.Storage;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

public abstract partial class FhirStoreContractTests
{
    private const string Loinc = "http://loinc.org";
    private const string Local = "urn:local";

    protected async Task<List<string>> FindAsync(string type, params TokenClause[] clauses)
    {
        IReadOnlyList<string> ids = await Store.FindByTokensAsync(new TokenQuery(type, clauses, 100), None);
        return [.. ids.Order(StringComparer.Ordinal)];
    }

    private static TokenClause Code(params TokenValue[] anyOf) => new("code", anyOf);

    /// <summary>o1: loinc|1234; o2: local|1234; o3: 1234 without system; o4: loinc|9999.</summary>
    private async Task SeedCodesAsync()
    {
        await CommitAsync(
            Create("Observation", "o1", index: [Token("code", Loinc, "1234"), Token("status", null, "final")]),
            Create("Observation", "o2", index: [Token("code", Local, "1234"), Token("status", null, "final")]),
            Create("Observation", "o3", index: [Token("code", null, "1234"), Token("status", null, "preliminary")]),
            Create("Observation", "o4", index: [Token("code", Loinc, "9999"), Token("status", null, "final")]),
            Create("Patient", "o1", index: [Token("code", Loinc, "1234")]));
    }

    [SkippableFact]
    public async Task FindByTokens_SystemAndCode_MatchesOnlyThatSystem()
    {
        await SeedCodesAsync();

        Assert.Equal(["o1"], await FindAsync("Observation", Code(new TokenValue(Loinc, "1234"))));
    }

    [SkippableFact]
    public async Task FindByTokens_CodeWithAnySystem_MatchesEverySystemAndNone()
    {
        await SeedCodesAsync();

        Assert.Equal(["o1", "o2", "o3"], await FindAsync("Observation", Code(new TokenValue(null, "1234"))));
    }

    [SkippableFact]
    public async Task FindByTokens_CodeWithExplicitlyNoSystem_MatchesOnlyCodesWithoutSystem()
    {
        await SeedCodesAsync();

        Assert.Equal(["o3"], await FindAsync("Observation", Code(new TokenValue("", "1234"))));
    }

    [SkippableFact]
    public async Task FindByTokens_SystemWithoutCode_MatchesAnyCodeInThatSystem()
    {
        await SeedCodesAsync();

        Assert.Equal(["o1", "o4"], await FindAsync("Observation", Code(new TokenValue(Loinc, null))));
    }

    [SkippableFact]
    public async Task FindByTokens_UnknownCode_MatchesNothing()
    {
        await SeedCodesAsync();

        Assert.Empty(await FindAsync("Observation", Code(new TokenValue(Loinc, "0000"))));
    }

    [SkippableFact]
    public async Task FindByTokens_SeveralValuesInOneClause_MatchesAnyOfThem()
    {
        await SeedCodesAsync();

        List<string> ids = await FindAsync("Observation", Code(new TokenValue(Local, "1234"), new TokenValue(Loinc, "9999")));

        Assert.Equal(["o2", "o4"], ids);
    }

    [SkippableFact]
    public async Task FindByTokens_ResourceMatchingSeveralValuesOfAClause_IsFoundOnce()
    {
        await SeedCodesAsync();

        List<string> ids = await FindAsync("Observation", Code(new TokenValue(Loinc, "1234"), new TokenValue(null, "1234")));

        Assert.Equal(["o1", "o2", "o3"], ids);
    }

    [SkippableFact]
    public async Task FindByTokens_SeveralClauses_MatchesOnlyResourcesSatisfyingAll()
    {
        await SeedCodesAsync();

        List<string> ids = await FindAsync(
            "Observation",
            Code(new TokenValue(null, "1234")),
            new TokenClause("status", [new TokenValue(null, "final")]));

        Assert.Equal(["o1", "o2"], ids);
    }

    [SkippableFact]
    public async Task FindByTokens_IdClause_MatchesTheIdColumn()
    {
        await SeedCodesAsync();

        Assert.Equal(["o2", "o4"], await FindAsync("Observation", new TokenClause("_id", [new TokenValue(null, "o2"), new TokenValue(null, "o4")])));
        Assert.Equal(["o1"], await FindAsync("Patient", new TokenClause("_id", [new TokenValue(null, "o1")])));
    }

    [SkippableFact]
    public async Task FindByTokens_IdClauseAndTokenClause_MatchesBoth()
    {
        await SeedCodesAsync();

        List<string> ids = await FindAsync(
            "Observation",
            new TokenClause("_id", [new TokenValue(null, "o1"), new TokenValue(null, "o4")]),
            Code(new TokenValue(null, "1234")));

        Assert.Equal(["o1"], ids);
    }

    [SkippableFact]
    public async Task FindByTokens_DeletedResource_IsExcluded()
    {
        await SeedCodesAsync();

        await CommitAsync(Delete("Observation", "o1", 2));

        Assert.Equal(["o2", "o3"], await FindAsync("Observation", Code(new TokenValue(null, "1234"))));
        Assert.Empty(await FindAsync("Observation", new TokenClause("_id", [new TokenValue(null, "o1")])));
    }

    [SkippableFact]
    public async Task FindByTokens_AfterUpdate_MatchesOnlyTheNewVersionsTokens()
    {
        await SeedCodesAsync();

        await CommitAsync(Update("Observation", "o1", 2, index: [Token("code", Loinc, "5555")]));

        Assert.Equal(["o2", "o3"], await FindAsync("Observation", Code(new TokenValue(null, "1234"))));
        Assert.Equal(["o1"], await FindAsync("Observation", Code(new TokenValue(Loinc, "5555"))));
        Assert.Equal(["o2", "o4"], await FindAsync("Observation", new TokenClause("status", [new TokenValue(null, "final")])));
    }

    [SkippableFact]
    public async Task FindByTokens_Limit_CapsTheNumberOfIds()
    {
        await SeedCodesAsync();

        IReadOnlyList<string> ids = await Store.FindByTokensAsync(new TokenQuery("Observation", [Code(new TokenValue(null, "1234"))], 2), None);

        Assert.Equal(2, ids.Count);
    }

    [SkippableFact]
    public async Task FindByTokens_TokenOfAnotherType_IsNotMatched()
    {
        await SeedCodesAsync();

        Assert.Equal(["o1"], await FindAsync("Patient", Code(new TokenValue(null, "1234"))));
        Assert.Empty(await FindAsync("Encounter", Code(new TokenValue(null, "1234"))));
    }
}
