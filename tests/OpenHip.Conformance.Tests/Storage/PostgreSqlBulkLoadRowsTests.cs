using Npgsql;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Testing;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>
/// The bulk path encodes every row itself (versions, current rows, outbox, compartments and index rows by raw binary
/// COPY); what it stores must be what a commit of the same writes stores, row for row, with only the drawn numbers
/// (seq, rid, pid) and the outbox's transaction id free to differ.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlBulkLoadRowsTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>
{
    private static readonly CancellationToken None = CancellationToken.None;

    // Each table's rows without the numbers a database draws, resources named by type and id, parameters by code.
    private static readonly string[] Tables =
    [
        "SELECT (to_jsonb(v) - 'seq')::text FROM resource_version v",
        "SELECT (to_jsonb(c) - 'rid' - 'seq')::text FROM resource_current c",
        "SELECT (to_jsonb(o) - 'seq' - 'commit_xid')::text FROM outbox o",
        "SELECT to_jsonb(m)::text FROM compartment m",
        .. new[] { "ix_string", "ix_token", "ix_reference", "ix_date", "ix_number", "ix_quantity", "ix_uri" }.Select(table =>
            $"SELECT c.type || '/' || c.id || ' ' || p.code || ' ' || (to_jsonb(x) - 'rid' - 'pid')::text FROM {table} x JOIN resource_current c ON c.rid = x.rid JOIN search_param p ON p.pid = x.pid"),
    ];

    [SkippableFact]
    public async Task LoadAsync_EveryKindOfIndexEntryCompositesAndRepeatedCompartments_StoresTheRowsACommitStores()
    {
        ResourceWrite[] writes =
        [
            Create("Observation", "o1", index: Entries("a"), compartments: ["p1", "p2", "p1"]),
            Create("Observation", "o2", At(5), Entries("b"), ["p2"]),
            Create("Patient", "p1", index: [new StringIndexEntry("name", "zhang", "Zhāng"), Token("identifier", "", "mrn-1")]),
            Create("Patient", "p2"),
        ];
        string committed = await database.CreateSchemaAsync();
        string loaded = await database.CreateSchemaAsync();
        await using (PostgreSqlFhirStore store = await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = committed }, TimeProvider.System))
        {
            await store.CommitAsync(new Changeset(writes), None);
        }

        await using (PostgreSqlFhirStore store = await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = loaded }, TimeProvider.System))
        {
            Assert.Equal(writes.Length, await store.LoadAsync(writes, "import", "4", None));
        }

        foreach (string table in Tables)
        {
            string[] expected = await RowsAsync(committed, table);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, await RowsAsync(loaded, table));
        }
    }

    private static IReadOnlyList<IndexEntry> Entries(string suffix) =>
    [
        Token("code", "http://loinc.org", "8480-6" + suffix),
        new TokenIndexEntry("code", null, "bare", "Blood pressure 血压"),
        new CompositeIndexEntry("combo", [Token("0", "http://loinc.org", "8480-6"), new QuantityIndexEntry("1", 120.5m, "http://unitsofmeasure.org", "mm[Hg]", "mmHg", 16065.4m, "g.m-1.s-2")]),
        new ReferenceIndexEntry("subject", "Patient", "p1" + suffix, null),
        new ReferenceIndexEntry("based-on", null, null, "http://example.org/plan", "2"),
        new DateIndexEntry("date", T0, T0.AddDays(1).AddTicks(-1)),
        new NumberIndexEntry("probability", 0.25m),
        new NumberIndexEntry("range", 1m, 9.5m),
        new QuantityIndexEntry("value-quantity", 3m, "", "kg", null, null, null),
        new CompositeIndexEntry("combo", [Token("0", null, "x" + suffix), new StringIndexEntry("1", "norm", "Norm")]),
        new UriIndexEntry("_source", "urn:source:" + suffix),
    ];

    private static async Task<string[]> RowsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var rows = new List<string>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return [.. rows.Order(StringComparer.Ordinal)];
    }
}
