using System.Diagnostics;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Fhir.Storage.PostgreSql.Schema;
using OpenHip.Fhir.Storage.Relational.Search;
using OpenHip.Fhir.Storage.Relational.Writing;
using OpenHip.Testing;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>
/// A conditional interaction's lookup on PostgreSQL starts from the token rows of its criteria whatever the planner's
/// statistics say. A database being loaded outgrows them between ANALYZEs, and a plan that walks every resource of the
/// type turned each conditional create into a scan of its type (docs/performance.md, "Conditional-create lookup plan").
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlConditionalLookupPlanTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>
{
    private const string Npi = "http://hl7.org/fhir/sid/us-npi";
    private static readonly CancellationToken None = CancellationToken.None;

    [SkippableFact]
    public async Task GuardLookup_WithStatisticsFromBeforeTheTypeExisted_NeverReadsResourcesForAnIdentifierNobodyHas()
    {
        string connectionString = await database.CreateSchemaAsync();
        await using PostgreSqlFhirStore store = await OpenAsync(connectionString);
        await store.CommitAsync(Changeset.Of(Create("Organization", "org", index: [Token("identifier", Npi, "1")])), None);

        // Statistics that know no Practitioner, kept while 300 arrive (fewer than the store's first own ANALYZE).
        await PostgreSqlExplain.ExecuteAsync(connectionString, "ANALYZE resource_current, ix_token, search_param; ALTER TABLE resource_current SET (autovacuum_enabled = false); ALTER TABLE ix_token SET (autovacuum_enabled = false)");
        await store.CommitAsync(new Changeset([.. Enumerable.Range(0, 300).Select(i => Create("Practitioner", $"p{i}", index: [Token("identifier", Npi, $"9{i}")]))]), None);
        var guard = new CreateGuard(new TokenQuery("Practitioner", [new TokenClause("identifier", [new TokenValue(Npi, "nobody")])], 2), "new");
        CompiledSql lookup = new CreateGuardCheck(new SearchSqlBuilder(PostgreSqlDialect.Instance, TimeProvider.System)).Lookup(guard);

        string plan = await PostgreSqlExplain.AnalyzeAsync(connectionString, lookup);

        // No token row matches, so a plan driven by them never gets to resource_current; walking the type reads 300 rows.
        string[] resourceScans = [.. plan.Split('\n').Where(line => line.Contains(" on resource_current ", StringComparison.Ordinal))];
        Assert.NotEmpty(resourceScans);
        Assert.All(resourceScans, line => Assert.Contains("(never executed)", line, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task GuardLookup_ForAnIdentifierThatExists_FindsTheResource()
    {
        await using PostgreSqlFhirStore store = await OpenAsync(await database.CreateSchemaAsync());
        await store.CommitAsync(Changeset.Of(Create("Practitioner", "p1", index: [Token("identifier", Npi, "1")])), None);
        var criteria = new TokenQuery("Practitioner", [new TokenClause("identifier", [new TokenValue(Npi, "1")])], 2);

        await Assert.ThrowsAsync<CreateGuardViolatedException>(() =>
            store.CommitAsync(new Changeset([Create("Practitioner", "p2", index: [Token("identifier", Npi, "1")])]) { Guards = [new CreateGuard(criteria, "p2")] }, None));
        Assert.Equal(["p1"], await store.FindByTokensAsync(criteria, None));
    }

    [SkippableFact]
    public async Task Lookup_OfAParameterTheStoreHasWritten_BindsItsIdInsteadOfLookingItUpWhilePlanning()
    {
        await using PostgreSqlFhirStore store = await OpenAsync(await database.CreateSchemaAsync());
        await store.CommitAsync(Changeset.Of(Create("Practitioner", "p1", index: [Token("identifier", Npi, "1")])), None);
        var criteria = new TokenQuery("Practitioner", [new TokenClause("identifier", [new TokenValue(Npi, "2")])], 2);

        IReadOnlyList<string> sent = await StatementsSentAsync(() => store.FindByTokensAsync(criteria, None));

        // A lookup calling search_param_ids was planned anew on every call of an ingest: the ids fold with the values bound.
        string lookup = Assert.Single(sent, text => text.Contains("FROM ix_token", StringComparison.Ordinal));
        Assert.DoesNotContain("search_param_ids", lookup, StringComparison.Ordinal);
    }

    private static async Task<IReadOnlyList<string>> StatementsSentAsync(Func<Task> action)
    {
        // Only activities under this test's own parent count: other test classes may use Npgsql at the same time.
        using var parent = new Activity("statements").Start();
        var texts = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == parent.TraceId && activity.GetTagItem("db.query.text") is string text)
                {
                    texts.Enqueue(text);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await action();
        return [.. texts];
    }

    private static Task<PostgreSqlFhirStore> OpenAsync(string connectionString) =>
        PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString }, TimeProvider.System);
}
