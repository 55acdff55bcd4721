using System.Data.Common;
using Npgsql;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Fhir.Storage.PostgreSql.Schema;
using OpenHip.Fhir.Storage.Relational.Search;
using OpenHip.Testing;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>
/// Search SQL on PostgreSQL names its search parameters through <c>search_param_ids</c>, which the planner folds into
/// the ids while planning (so it estimates each lookup from that parameter's statistics, not the whole table's), and
/// which never keeps an answer past the plan it was folded into.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlSearchParameterIdsTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Day = new(1953, 2, 6, 0, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task Plan_OfATokenSearch_HasTheParameterIdAsAConstant()
    {
        string connectionString = await database.CreateSchemaAsync();
        await using PostgreSqlFhirStore store = await OpenAsync(connectionString);
        await store.CommitAsync(Changeset.Of(Create("Observation", "o1", index: [Token("code", "http://loinc.org", "8310-5")])), None);
        var query = new SearchQuery(["Observation"], new TokenExpression("code", "http://loinc.org", "8310-5"), [], 10, null, TotalMode.None);
        CompiledSql sql = new SearchSqlBuilder(PostgreSqlDialect.Instance, TimeProvider.System).BuildPage(query);

        string plan = await ExplainAsync(connectionString, sql);

        // Folded: the index condition carries the id itself (one type: a scalar), and search_param is no longer part of the plan.
        Assert.Matches(@"\(pid = \d+\)", plan);
        Assert.DoesNotContain("search_param", plan, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Search_OnAParameterStoredAfterTheStatementWasPrepared_FindsTheNewRows()
    {
        await using PostgreSqlFhirStore store = await OpenAsync(await database.CreateSchemaAsync());
        await store.CommitAsync(Changeset.Of(Create("Observation", "o1", index: [Token("code", "http://loinc.org", "8310-5")])), None);
        var query = new SearchQuery(["Observation"], new TokenExpression("category", "urn:cat", "vital"), [], 10, null, TotalMode.None);

        // Past the store's auto-prepare threshold and PostgreSQL's five custom plans, while the parameter has no id yet.
        for (int i = 0; i < 12; i++)
        {
            Assert.Empty((await store.SearchAsync(query, None)).Resources);
        }

        await store.CommitAsync(Changeset.Of(Create("Observation", "o2", index: [Token("category", "urn:cat", "vital")])), None);

        Assert.Equal(["o2"], (await store.SearchAsync(query, None)).Resources.Select(r => r.Id));
    }

    [SkippableFact]
    public async Task Plan_OfADateEqSearch_SeeksTheDayOnTheLowEnd()
    {
        string connectionString = await database.CreateSchemaAsync();
        await using PostgreSqlFhirStore store = await OpenAsync(connectionString);
        await store.CommitAsync(Changeset.Of(Create("Patient", "p1", index: [new DateIndexEntry("birthdate", Day, Day.AddDays(1).AddMilliseconds(-1))])), None);
        var query = new SearchQuery(["Patient"], new DateExpression("birthdate", SearchPrefix.Eq, Day, Day.AddDays(1).AddMilliseconds(-1)), [], 10, null, TotalMode.None);
        CompiledSql sql = new SearchSqlBuilder(PostgreSqlDialect.Instance, TimeProvider.System).BuildPage(query);

        // Both ends of the day on lo: a closed range of ix_date_lo instead of everything from the day on.
        Assert.Matches(@"x\d+\.lo >= @p\d+ AND x\d+\.lo <= @p\d+ AND x\d+\.hi <= @p\d+", sql.Text);
        Assert.Equal(["p1"], (await store.SearchAsync(query, None)).Resources.Select(r => r.Id));
    }

    private static Task<PostgreSqlFhirStore> OpenAsync(string connectionString) =>
        PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString }, TimeProvider.System);

    private static async Task<string> ExplainAsync(string connectionString, CompiledSql sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using DbCommand command = DbCommands.Create(connection, null, sql with { Text = "EXPLAIN " + sql.Text });
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
