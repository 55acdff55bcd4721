using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Fhir.Storage.Sqlite;

namespace OpenHip.Hosting;

/// <summary>Opens the configured store; both providers migrate their schema when opened.</summary>
internal static class Stores
{
    public static async Task<IFhirStore> OpenAsync(StorageOptions storage, ServerOptions server, CancellationToken ct)
    {
        if (storage.IsPostgres)
        {
            return await PostgreSqlFhirStore.OpenAsync(storage.PostgreSql, TimeProvider.System, ct).ConfigureAwait(false);
        }

        Directory.CreateDirectory(server.DataDirectory);
        SqliteStoreOptions tuning = storage.Sqlite;
        var options = new SqliteStoreOptions
        {
            DatabasePath = SqlitePath(server),
            BusyTimeout = tuning.BusyTimeout,
            MaxChangesetsPerGroupCommit = tuning.MaxChangesetsPerGroupCommit,
            StreamBatchSize = tuning.StreamBatchSize,
            OptimizeInterval = tuning.OptimizeInterval,
            AuditPatientRunsPerLevel = tuning.AuditPatientRunsPerLevel,
        };
        return await SqliteFhirStore.OpenAsync(options, ct).ConfigureAwait(false);
    }

    /// <summary>Applies the missing migrations of the configured store and says what was done.</summary>
    public static async Task<string> MigrateAsync(StorageOptions storage, ServerOptions server, CancellationToken ct)
    {
        if (storage.IsPostgres)
        {
            IReadOnlyList<int> applied = await PostgreSqlFhirStore.MigrateAsync(storage.PostgreSql, TimeProvider.System, ct).ConfigureAwait(false);
            return applied.Count == 0
                ? "PostgreSQL schema is up to date"
                : $"PostgreSQL schema migrated: applied {string.Join(", ", applied)}";
        }

        IFhirStore store = await OpenAsync(storage, server, ct).ConfigureAwait(false);
        await DisposeAsync(store).ConfigureAwait(false);
        return $"SQLite schema is up to date ({SqlitePath(server)})";
    }

    public static ValueTask DisposeAsync(IFhirStore store) => store is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    private static string SqlitePath(ServerOptions server) => Path.Combine(server.DataDirectory, "openhip.db");
}
