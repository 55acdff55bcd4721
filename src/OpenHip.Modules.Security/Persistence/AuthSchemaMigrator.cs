using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace OpenHip.Modules.Security.Persistence;

/// <summary>
/// Applies the auth tables' versioned SQL migrations (embedded <c>Migrations/{sqlite|postgres}/NNNN_*.sql</c>) once,
/// under a lock, so several nodes or a CLI starting at once never race: SQLite takes the write lock with
/// <c>BEGIN IMMEDIATE</c>, PostgreSQL an advisory transaction lock. Each migration only adds, so upgrades keep data.
/// </summary>
public sealed partial class AuthSchemaMigrator(IServiceScopeFactory scopes, AuthStoreOptions store)
{
    // Any fixed number: the advisory lock that serialises auth migrations across nodes.
    private const long AdvisoryLockKey = 0x4F48_4155_5448; // "OHAUTH"

    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken ct)
    {
        if (store.IsPostgres && !SchemaName().IsMatch(store.Schema))
        {
            throw new InvalidOperationException($"Security:Auth:Store:Schema '{store.Schema}' must be a plain lower-case identifier");
        }

        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        AuthDbContext db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        DbConnection connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct).ConfigureAwait(false);
        try
        {
            if (!store.IsPostgres)
            {
                // WAL: readers (token validation key refresh, introspection) never wait for the writer.
                await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", ct).ConfigureAwait(false);
            }

            await using DbTransaction transaction = store.IsPostgres
                ? await connection.BeginTransactionAsync(ct).ConfigureAwait(false)
                : await BeginImmediateAsync(connection, ct).ConfigureAwait(false);
            string versions = store.IsPostgres ? $"\"{store.Schema}\".\"OpenHipSchemaVersions\"" : "\"OpenHipSchemaVersions\"";
            if (store.IsPostgres)
            {
                await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey}); CREATE SCHEMA IF NOT EXISTS \"{store.Schema}\";", ct).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, transaction, $"CREATE TABLE IF NOT EXISTS {versions} (\"Version\" INTEGER PRIMARY KEY, \"AppliedAt\" TEXT NOT NULL);", ct).ConfigureAwait(false);
            int current = await ScalarAsync(connection, transaction, $"SELECT COALESCE(MAX(\"Version\"), 0) FROM {versions}", ct).ConfigureAwait(false);
            List<int> applied = [];
            foreach ((int version, string sql) in Migrations(store.IsPostgres ? "postgres" : "sqlite").Where(m => m.Version > current))
            {
                await ExecuteAsync(connection, transaction, sql.Replace("__SCHEMA__", store.Schema, StringComparison.Ordinal), ct).ConfigureAwait(false);
                await using DbCommand record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = $"INSERT INTO {versions} (\"Version\", \"AppliedAt\") VALUES (@version, @at)";
                AddParameter(record, "@version", version);
                AddParameter(record, "@at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                applied.Add(version);
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return applied;
        }
        finally
        {
            await connection.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The embedded migrations of one provider, in version order (the file name starts with the version).</summary>
    internal static IEnumerable<(int Version, string Sql)> Migrations(string provider)
    {
        Assembly assembly = typeof(AuthSchemaMigrator).Assembly;
        string prefix = $"{assembly.GetName().Name}.Persistence.Migrations.{provider}.";
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string file = name[prefix.Length..];
            int version = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)].TrimStart('_'), System.Globalization.CultureInfo.InvariantCulture);
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (version, reader.ReadToEnd());
        }
    }

    private static async Task<DbTransaction> BeginImmediateAsync(DbConnection connection, CancellationToken ct)
    {
        // Microsoft.Data.Sqlite starts IMMEDIATE transactions unless deferred is asked for: the write lock is taken now.
        return await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<int> ScalarAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct)
    {
        await using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
