using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.Sqlite;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>The storage contract against the embedded SQLite store, a fresh database file per test.</summary>
public sealed class SqliteFhirStoreContractTests : FhirStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-conformance", Guid.NewGuid().ToString("N"));

    protected override async Task<IFhirStore> OpenStoreAsync()
    {
        Directory.CreateDirectory(_directory);
        return await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_directory, "store.db") });
    }

    protected override Task DeleteStoreAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
