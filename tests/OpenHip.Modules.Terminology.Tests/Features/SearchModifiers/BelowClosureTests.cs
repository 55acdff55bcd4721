using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Search.Terminology;
using OpenHip.Modules.Terminology.Tests.Loading;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Features.SearchModifiers;

/// <summary>
/// <c>:below</c> through the closure rows of the token index, over the engine and a real SQLite store: the rows must
/// follow the hierarchy when it changes after resources were written (the PostgreSQL store runs the same store contract
/// and the HTTP conformance fixture <c>terminology-hierarchy-change.json</c>).
/// </summary>
public sealed class BelowClosureTests : IAsyncLifetime
{
    private const string System = "http://openhip.test/CodeSystem/closure";
    private readonly TemporaryFile _database = TerminologyTestStore.NewDatabase();
    private TerminologyTestStore _store = null!;

    public async Task InitializeAsync() => _store = await TerminologyTestStore.OpenAsync(_database.Path);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task Below_ResourceWrittenBeforeItsCodeJoinedTheHierarchy_FoundThroughTheRebuiltClosure()
    {
        await WriteCodeSystemAsync(("resp", null), ("flu", "resp"), ("cardio", null));
        await CatchUpAsync();
        await WriteObservationAsync("o-flu-b", "flu-b"); // not in the system yet: only its own closure row
        await WriteObservationAsync("o-flu", "flu");

        await WriteCodeSystemAsync(("resp", null), ("flu", "resp"), ("flu-b", "flu"), ("cardio", null));

        // Before the pass: the recorded fingerprint is the old one, so the resolved code set answers (and is right).
        Assert.Equal(["o-flu", "o-flu-b"], await BelowAsync("resp"));
        Assert.Equal([System], await CatchUpAsync());
        Assert.Equal(Fingerprint(), await _store.Store.GetStateAsync(TokenClosure.StateKey(System), CancellationToken.None));
        Assert.Equal(["o-flu", "o-flu-b"], await BelowAsync("resp"));
        Assert.Equal(["o-flu", "o-flu-b"], await BelowAsync("flu"));
    }

    [Fact]
    public async Task Below_ConceptMovedToAnotherParent_FollowsTheMoveThroughTheClosure()
    {
        await WriteCodeSystemAsync(("resp", null), ("cardio", null), ("htn", "cardio"));
        await CatchUpAsync();
        await WriteObservationAsync("o-htn", "htn");
        Assert.Equal(["o-htn"], await BelowAsync("cardio"));

        await WriteCodeSystemAsync(("resp", null), ("cardio", null), ("htn", "resp"));
        await CatchUpAsync();

        Assert.Equal(Fingerprint(), await _store.Store.GetStateAsync(TokenClosure.StateKey(System), CancellationToken.None));
        Assert.Empty(await BelowAsync("cardio"));
        Assert.Equal(["o-htn"], await BelowAsync("resp"));
    }

    [Fact]
    public async Task Below_ClosureRecordedComplete_AnswersFromTheClosureRowsNotTheCodeSet()
    {
        await WriteCodeSystemAsync(("resp", null), ("flu", "resp"), ("cardio", null));
        await CatchUpAsync();
        await WriteObservationAsync("o-flu", "flu");
        await WriteCodeSystemAsync(("resp", null), ("flu", "cardio"), ("cardio", null));

        // Recorded complete for the new hierarchy while the rows still say flu is below resp: the rows answer.
        await _store.Store.SetStateAsync(TokenClosure.StateKey(System), Fingerprint(), CancellationToken.None);
        Assert.Equal(["o-flu"], await BelowAsync("resp"));

        // Not recorded: the code set answers (flu is no longer below resp); the pass then rewrites the rows.
        await _store.Store.SetStateAsync(TokenClosure.StateKey(System), null, CancellationToken.None);
        Assert.Empty(await BelowAsync("resp"));
        Assert.Equal([System], await CatchUpAsync());
        Assert.Empty(await CatchUpAsync());
        Assert.Empty(await BelowAsync("resp"));
        Assert.Equal(["o-flu"], await BelowAsync("cardio"));
    }

    [Fact]
    public async Task Below_CodeWrittenBeforeItsSystemExisted_FoundAfterTheSystemArrives()
    {
        await WriteObservationAsync("o-early", "flu");

        await WriteCodeSystemAsync(("resp", null), ("flu", "resp"));
        Assert.Equal(["o-early"], await BelowAsync("resp"));
        await CatchUpAsync();

        Assert.Equal(Fingerprint(), await _store.Store.GetStateAsync(TokenClosure.StateKey(System), CancellationToken.None));
        Assert.Equal(["o-early"], await BelowAsync("resp"));
    }

    [Fact]
    public async Task Below_SystemDeletedThenRestoredAfterResourcesWereWritten_ReindexedBeforeTheRowsAreTrusted()
    {
        await WriteCodeSystemAsync(("resp", null), ("flu", "resp"));
        await CatchUpAsync();
        string fingerprint = Fingerprint();
        await Resources.DeleteAsync("CodeSystem", "closure", null, TerminologyTestStore.Context, CancellationToken.None);
        await CatchUpAsync();
        Assert.Null(await _store.Store.GetStateAsync(TokenClosure.StateKey(System), CancellationToken.None));

        await WriteObservationAsync("o-flu", "flu"); // no hierarchy known: no closure rows
        await WriteCodeSystemAsync(("resp", null), ("flu", "resp"));
        Assert.Equal(fingerprint, Fingerprint());

        Assert.Equal([System], await CatchUpAsync());
        Assert.Equal(["o-flu"], await BelowAsync("resp"));
    }

    private string Fingerprint() => _store.Services.GetRequiredService<ICodeAncestry>().Find(System)!.Fingerprint;

    private Task<IReadOnlyList<string>> CatchUpAsync() =>
        _store.Services.GetRequiredService<TokenClosureMaintainer>().CatchUpAsync(CancellationToken.None);

    private async Task WriteCodeSystemAsync(params (string Code, string? Parent)[] concepts)
    {
        var codeSystem = new CodeSystem
        {
            Id = "closure",
            Url = System,
            Status = PublicationStatus.Active,
            Content = CodeSystemContentMode.Complete,
            Property = [new CodeSystem.PropertyComponent { Code = "parent", Type = CodeSystem.PropertyType.Code }],
            Concept =
            [
                .. concepts.Select(c => new CodeSystem.ConceptDefinitionComponent
                {
                    Code = c.Code,
                    Property = c.Parent is null ? [] : [new CodeSystem.ConceptPropertyComponent { Code = "parent", Value = new Code(c.Parent) }],
                }),
            ],
        };
        await Resources.UpdateAsync("CodeSystem", "closure", codeSystem, null, TerminologyTestStore.Context, CancellationToken.None);
    }

    private async Task WriteObservationAsync(string id, string code) =>
        await Resources.UpdateAsync(
            "Observation",
            id,
            new Observation { Id = id, Status = ObservationStatus.Final, Code = new CodeableConcept(System, code) },
            null,
            TerminologyTestStore.Context,
            CancellationToken.None);

    private ResourceService Resources => _store.Services.GetRequiredService<ResourceService>();

    private async Task<List<string>> BelowAsync(string code)
    {
        SearchResult result = await _store.Services.GetRequiredService<SearchService>().SearchAsync(
            SearchScope.ForType("Observation"),
            [new("code:below", $"{System}|{code}")],
            SearchHandling.Strict,
            AccessPolicy.Unrestricted,
            CancellationToken.None);
        return [.. result.Page.Resources.Select(r => r.Id).Order(StringComparer.Ordinal)];
    }
}
