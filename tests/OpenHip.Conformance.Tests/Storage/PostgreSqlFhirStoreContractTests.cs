using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Testing;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>The storage contract against the PostgreSQL store, a fresh database per test on the run's server.</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlFhirStoreContractTests : FhirStoreContractTests
{
    private PostgreSqlTestServer? _server;
    private string? _connectionString;

    protected override async Task<IFhirStore> OpenStoreAsync()
    {
        _server ??= await PostgreSqlTestServer.GetAsync();
        _connectionString ??= await _server.CreateDatabaseAsync();
        return await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = _connectionString }, TimeProvider.System);
    }

    protected override async Task DeleteStoreAsync()
    {
        if (_server is not null && _connectionString is not null)
        {
            await _server.DropDatabaseAsync(_connectionString);
        }
    }
}
