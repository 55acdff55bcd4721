using OpenHip.Fhir.Storage;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

public abstract partial class FhirStoreContractTests
{
    private static CreateGuard IdentifierGuard(string value, string createdId) =>
        new(new TokenQuery("Patient", [new TokenClause("identifier", [new TokenValue("urn:mrn", value)])], 2), createdId);

    [SkippableFact]
    public async Task Commit_GuardWithNoOtherMatch_Commits()
    {
        await CommitAsync(Create("Patient", "other", index: [Token("identifier", "urn:mrn", "B")]));

        await Store.CommitAsync(
            new Changeset([Create("Patient", "p1", index: [Token("identifier", "urn:mrn", "A")])]) { Guards = [IdentifierGuard("A", "p1")] }, None);

        Assert.NotNull(await Store.ReadCurrentAsync("Patient", "p1", None));
    }

    [SkippableFact]
    public async Task Commit_GuardMatchedByAnotherResource_ThrowsAndWritesNothing()
    {
        await CommitAsync(Create("Patient", "first", index: [Token("identifier", "urn:mrn", "A")]));

        CreateGuardViolatedException violated = await Assert.ThrowsAsync<CreateGuardViolatedException>(() => Store.CommitAsync(
            new Changeset([Create("Patient", "second", index: [Token("identifier", "urn:mrn", "A")]), Create("Observation", "o1")])
            {
                Guards = [IdentifierGuard("A", "second")],
            },
            None));

        Assert.Equal("first", violated.ExistingId);
        Assert.Null(await Store.ReadCurrentAsync("Patient", "second", None));
        Assert.Null(await Store.ReadCurrentAsync("Observation", "o1", None));
        Assert.Single(await Store.ReadOutboxAsync(OutboxPosition.Start, 100, None));
    }

    [SkippableFact]
    public async Task Commit_GuardMatchedOnlyByADeletedResource_Commits()
    {
        await CommitAsync(Create("Patient", "gone", index: [Token("identifier", "urn:mrn", "A")]));
        await CommitAsync(Delete("Patient", "gone", 2));

        await Store.CommitAsync(
            new Changeset([Create("Patient", "p1", index: [Token("identifier", "urn:mrn", "A")])]) { Guards = [IdentifierGuard("A", "p1")] }, None);

        Assert.NotNull(await Store.ReadCurrentAsync("Patient", "p1", None));
    }

    [Fact]
    public void GuardKey_IgnoresClauseAndValueOrder()
    {
        var ab = new TokenQuery("Patient", [new TokenClause("identifier", [new TokenValue("s", "a"), new TokenValue("s", "b")]), new TokenClause("_id", [new TokenValue(null, "x")])], 2);
        var ba = new TokenQuery("Patient", [new TokenClause("_id", [new TokenValue(null, "x")]), new TokenClause("identifier", [new TokenValue("s", "b"), new TokenValue("s", "a")])], 2);

        Assert.Equal(new CreateGuard(ab, "1").Key, new CreateGuard(ba, "2").Key);
        Assert.NotEqual(new CreateGuard(ab, "1").Key, new CreateGuard(ab with { Type = "Practitioner" }, "1").Key);
    }
}
