using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage.Relational.Search;
using OpenHip.Fhir.Storage.Sqlite.Schema;
using static OpenHip.Fhir.Storage.Sqlite.Tests.Writes;

namespace OpenHip.Fhir.Storage.Sqlite.Tests.Reading;

/// <summary>How SQLite plans the search SQL the shared builder writes for it.</summary>
public sealed class SqliteSearchPlanTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _database = new();
    private SqliteFhirStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteFhirStore.OpenAsync(_database.Options());

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _database.Delete();
    }

    [Fact]
    public async Task Plan_OfSeveralValuesOfOneReferenceParameter_SeeksEachTarget()
    {
        // Linking asks "Person?link=Patient/a,Patient/b,..." for a batch of Patients: under one "pid AND (a OR b ...)"
        // SQLite sought the parameter only and read every link row there is.
        ResourceWrite[] persons = [.. Enumerable.Range(0, 50).Select(i => Create("Person", $"person{i}", index: [Link($"p{i}")]))];
        await _store.CommitAsync(new Changeset(persons), None);
        var query = new SearchQuery(["Person"], new OrExpression([Link("p3", "Patient"), Link("p7", "Patient"), Link("p41", "Patient")]), [], 10, null, TotalMode.None);
        CompiledSql sql = new SearchSqlBuilder(SqliteDialect.Instance, TimeProvider.System).BuildPage(query);

        IReadOnlyList<string> lookups = [.. (await ExplainAsync(sql)).Where(step => step.Contains("ix_reference", StringComparison.Ordinal))];

        Assert.Equal(3, lookups.Count);
        Assert.All(lookups, step => Assert.Contains("target_id=?", step, StringComparison.Ordinal));
        Assert.Equal(["person3", "person7", "person41"], (await _store.SearchAsync(query, None)).Resources.Select(r => r.Id));
    }

    private static ReferenceIndexEntry Link(string patientId) => new("link", "Patient", patientId, null);

    private static ReferenceExpression Link(string patientId, string type) => new("link", type, patientId, null);

    private async Task<IReadOnlyList<string>> ExplainAsync(CompiledSql sql)
    {
        using SqliteConnection connection = _database.OpenRaw();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql.Text;
        foreach (KeyValuePair<string, object?> parameter in sql.Parameters)
        {
            command.Parameters.AddWithValue(parameter.Key, parameter.Value ?? DBNull.Value);
        }

        var steps = new List<string>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            steps.Add(reader.GetString(3));
        }

        return steps;
    }
}
