using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Testing;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>The storage contract against the PostgreSQL store: one database for the class, a fresh schema per test.</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlFhirStoreContractTests(PostgreSqlTestDatabase database)
    : FhirStoreContractTests, IClassFixture<PostgreSqlTestDatabase>
{
    private string? _connectionString;

    protected override async Task<IFhirStore> OpenStoreAsync()
    {
        _connectionString ??= await database.CreateSchemaAsync();
        return await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = _connectionString }, TimeProvider.System);
    }

    // The schema goes with the class's database.
    protected override Task DeleteStoreAsync() => Task.CompletedTask;
}
