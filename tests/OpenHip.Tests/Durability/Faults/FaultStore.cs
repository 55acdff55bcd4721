using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage.Relational.Audit;
using OpenHip.Fhir.Storage.Sqlite;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Tests.Durability.Faults;

/// <summary>
/// The database a fault run crashes, as the checks see it from outside the server: SQL straight on the tables, so a
/// check never depends on the engine it is checking. The same queries run on SQLite and PostgreSQL.
/// </summary>
internal abstract partial class FaultStore
{
    // Every index table keys on resource_current.rid; the engine indexes only the current version of live resources.
    private static readonly string[] IndexTables = ["ix_string", "ix_token", "ix_reference", "ix_date", "ix_number", "ix_quantity", "ix_uri"];

    protected FaultStore(string dataDirectory)
    {
        DataDirectory = dataDirectory;
    }

    public abstract string Name { get; }

    /// <summary>Where auth.db, the audit signing key and (for SQLite) the database live; the witness file sits beside it.</summary>
    public string DataDirectory { get; }

    /// <summary>The signed checkpoints' witness file, where the server puts it by default: beside the data directory.</summary>
    public string WitnessPath => AuditLogOptions.DefaultWitnessPath(DataDirectory);

    /// <summary>The flags that point `serve` and the other commands at this store.</summary>
    public abstract IReadOnlyList<string> StoreArguments { get; }

    /// <summary>The schema version of the audit-log migration, the newest of each store.</summary>
    public abstract int AuditMigrationVersion { get; }

    /// <summary>Undoes the audit-log migration, turning the database into one an older release made (for the migration fault).</summary>
    protected abstract string UndoAuditMigrationSql { get; }

    protected abstract DbConnection Connect();

    /// <summary>Prefixes of the schemas that hold audit tables on a connection from <see cref="OpenAsync"/>.</summary>
    protected virtual IReadOnlyList<string> AuditSchemas => [string.Empty];

    /// <summary>Runs on every connection just opened.</summary>
    protected virtual Task OpenedAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>Index, compartment, outbox and audit-patient rows that point at nothing, as "table: count" lines.</summary>
    public async Task<IReadOnlyList<string>> OrphanRowsAsync()
    {
        var checks = IndexTables.Select(t => (t, $"SELECT COUNT(*) FROM {t} x WHERE NOT EXISTS (SELECT 1 FROM resource_current c WHERE c.rid = x.rid AND c.deleted = 0)")).ToList();
        checks.Add(("compartment", "SELECT COUNT(*) FROM compartment x WHERE NOT EXISTS (SELECT 1 FROM resource_current c WHERE c.type = x.type AND c.id = x.id)"));
        checks.Add(("resource_current", "SELECT COUNT(*) FROM resource_current c WHERE NOT EXISTS (SELECT 1 FROM resource_version v WHERE v.seq = c.seq AND v.type = c.type AND v.id = c.id AND v.version = c.version)"));
        checks.Add(("outbox", "SELECT COUNT(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM resource_version v WHERE v.seq = o.seq)"));
        await using DbConnection connection = await OpenAsync();
        foreach (string s in AuditSchemas)
        {
            // A patient key names an event of a row or of a block of its own file.
            string noEvent =
                $"NOT EXISTS (SELECT 1 FROM {s}audit_log a WHERE a.aid = p.aid) AND NOT EXISTS (SELECT 1 FROM {s}audit_block b WHERE p.aid BETWEEN b.first_aid AND b.first_aid + b.count - 1)";
            checks.Add(($"{s}audit_patient", $"SELECT COUNT(*) FROM {s}audit_patient p WHERE {noEvent}"));
            checks.Add(($"{s}audit_patient_recent", $"SELECT COUNT(*) FROM {s}audit_patient_recent p WHERE {noEvent}"));
            checks.Add(($"{s}audit_block_agent", $"SELECT COUNT(*) FROM {s}audit_block_agent x WHERE NOT EXISTS (SELECT 1 FROM {s}audit_block b WHERE b.first_aid = x.first_aid)"));
        }

        var found = new List<string>();
        foreach ((string table, string sql) in checks)
        {
            long count = await ScalarAsync(connection, sql);
            if (count != 0)
            {
                found.Add(string.Create(CultureInfo.InvariantCulture, $"{table}: {count} rows point at nothing"));
            }
        }

        if (PatientPages)
        {
            foreach (string s in AuditSchemas)
            {
                found.AddRange(await PagedKeyProblemsAsync(connection, s));
            }
        }

        return found;
    }

    /// <summary>Whether the store keeps audit patient keys in pages (<c>audit_patient_hash_page</c>).</summary>
    protected virtual bool PatientPages => false;

    /// <summary>Keys in the pages of listed runs that name no event, or that more than one run holds.</summary>
    private static async Task<IReadOnlyList<string>> PagedKeyProblemsAsync(DbConnection connection, string s)
    {
        var keys = new List<HashedPatientKey>();
        await using (DbCommand command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT p.page FROM {s}audit_patient_hash_run r JOIN {s}audit_patient_hash_page p ON p.run = r.run WHERE r.keys IS NOT NULL";
            await using DbDataReader reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                HashedKeyPage.Decode((byte[])reader.GetValue(0), keys);
            }
        }

        var rows = new HashSet<long>();
        var blocks = new List<(long First, long Count)>();
        await using (DbCommand command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT aid, 1, 0 FROM {s}audit_log UNION ALL SELECT first_aid, count, 1 FROM {s}audit_block";
            await using DbDataReader reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (reader.GetInt64(2) == 0)
                {
                    rows.Add(reader.GetInt64(0));
                }
                else
                {
                    blocks.Add((reader.GetInt64(0), reader.GetInt64(1)));
                }
            }
        }

        int orphans = keys.Count(k => !rows.Contains(k.Aid) && !blocks.Any(b => k.Aid >= b.First && k.Aid < b.First + b.Count));
        int repeated = keys.Count - keys.Distinct().Count();
        var problems = new List<string>();
        if (orphans > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{s}audit_patient_hash_page: {orphans} keys point at nothing"));
        }

        if (repeated > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{s}audit_patient_hash_page: {repeated} keys held twice"));
        }

        return problems;
    }

    /// <summary>Live resources of these types that have no index row at all (a write whose index was lost).</summary>
    public async Task<IReadOnlyList<string>> UnindexedAsync(params string[] types)
    {
        await using DbConnection connection = await OpenAsync();
        return await ReadStringsAsync(connection, $"""
            SELECT c.type || '/' || c.id FROM resource_current c
            WHERE c.deleted = 0 AND c.type IN ({string.Join(", ", types.Select(t => $"'{t}'"))})
              AND NOT EXISTS (SELECT 1 FROM ix_token x WHERE x.rid = c.rid)
            """);
    }

    /// <summary>Every live resource as "Type/id".</summary>
    public async Task<HashSet<string>> LiveResourcesAsync()
    {
        await using DbConnection connection = await OpenAsync();
        return [.. await ReadStringsAsync(connection, "SELECT type || '/' || id FROM resource_current WHERE deleted = 0")];
    }

    /// <summary>Every stored version after <paramref name="afterSeq"/> as "Type/id/_history/n".</summary>
    public async Task<IReadOnlyList<string>> VersionsAfterAsync(long afterSeq)
    {
        await using DbConnection connection = await OpenAsync();
        return await ReadStringsAsync(connection, string.Create(
            CultureInfo.InvariantCulture, $"SELECT type || '/' || id || '/_history/' || CAST(version AS TEXT) FROM resource_version WHERE seq > {afterSeq}"));
    }

    public async Task<long> LastSeqAsync()
    {
        await using DbConnection connection = await OpenAsync();
        return await ScalarAsync(connection, "SELECT COALESCE(MAX(seq), 0) FROM resource_version");
    }

    /// <summary>The resource ("Type/id/_history/n") of every audit record of a write.</summary>
    public Task<HashSet<string>> AuditedResourcesAsync() =>
        AuditedAsync(r => r.Resource is { } resource && AuditedResource().IsMatch(resource) ? resource : null);

    /// <summary>The resource ("Type/id") of every audit record of a read.</summary>
    public Task<HashSet<string>> ReadAuditedResourcesAsync() =>
        AuditedAsync(r => r.Interaction == "read" && r.Resource is { } resource && ReadResource().IsMatch(resource) ? resource : null);

    private async Task<HashSet<string>> AuditedAsync(Func<AuditRecord, string?> pick)
    {
        await using DbConnection connection = await OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = string.Join(" UNION ALL ", AuditSchemas.Select(s =>
            $"SELECT payload, NULL, 0, '', 0, 0, NULL, NULL FROM {s}audit_log UNION ALL SELECT NULL, first_aid, count, chain_id, first_seq, first_recorded, prev_hash, body FROM {s}audit_block"));
        var matched = new HashSet<string>(StringComparer.Ordinal);
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            IEnumerable<byte[]> payloads = !reader.IsDBNull(0)
                ? [(byte[])reader.GetValue(0)]
                : AuditBlock.Decode(
                    Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture),
                    Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
                    reader.GetString(3),
                    Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture),
                    Convert.ToInt64(reader.GetValue(5), CultureInfo.InvariantCulture),
                    (byte[])reader.GetValue(6),
                    (byte[])reader.GetValue(7)).Select(e => e.Row.Payload.ToArray());
            foreach (byte[] payload in payloads)
            {
                if (pick(AuditPayload.Read(payload)) is { } resource)
                {
                    matched.Add(resource);
                }
            }
        }

        return matched;
    }

    public async Task<IReadOnlyList<long>> AppliedMigrationsAsync()
    {
        await using DbConnection connection = await OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_migrations ORDER BY version";
        var versions = new List<long>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
        }

        return versions;
    }

    /// <summary>
    /// Makes the database one that a release before the audit log left behind: its tables and migration row gone, and
    /// no witness (a witness vouching for chains the database never had would rightly fail verification).
    /// </summary>
    public virtual async Task UndoAuditMigrationAsync()
    {
        await using (DbConnection connection = await OpenAsync())
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = UndoAuditMigrationSql + string.Create(
                CultureInfo.InvariantCulture, $"; DELETE FROM schema_migrations WHERE version = {AuditMigrationVersion}");
            await command.ExecuteNonQueryAsync();
        }

        File.Delete(WitnessPath);
    }

    /// <summary>Store-specific checks of the files or server the kill left behind (SQLite: its integrity check).</summary>
    public virtual Task<string?> IntegrityProblemAsync() => Task.FromResult<string?>(null);

    protected async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Connect();
        await connection.OpenAsync();
        await OpenedAsync(connection);
        return connection;
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> ReadStringsAsync(DbConnection connection, string sql)
    {
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<string>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    [GeneratedRegex("^[^/]+/[^/]+/_history/[0-9]+$")]
    private static partial Regex AuditedResource();

    [GeneratedRegex("^[^/]+/[^/]+$")]
    private static partial Regex ReadResource();

    public sealed class Sqlite(string dataDirectory) : FaultStore(dataDirectory)
    {
        public override string Name => "SQLite";

        public override IReadOnlyList<string> StoreArguments => [];

        public override int AuditMigrationVersion => 3;

        // The later audit migrations' tables go with it: all came after the release before the audit log.
        protected override string UndoAuditMigrationSql =>
            "DROP TABLE audit_patient_hash_page; DROP TABLE audit_patient_hash_run; DROP TABLE audit_patient_page; DROP TABLE audit_patient_page_run; DROP TABLE audit_block_agent; DROP TABLE audit_block; DROP TABLE audit_patient_run; DROP TABLE audit_patient_recent; DROP TABLE audit_patient; DROP TABLE audit_checkpoint; DROP TABLE audit_log; DELETE FROM schema_migrations WHERE version IN (4, 5, 6, 7, 8)";

        public override async Task<string?> IntegrityProblemAsync()
        {
            await using DbConnection connection = await OpenAsync();
            await using DbCommand check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            string? result = await check.ExecuteScalarAsync() as string;
            return result == "ok" ? null : $"PRAGMA integrity_check: {result}";
        }

        private string AuditFile => SqliteStoreOptions.AuditFileOf(Path.Combine(DataDirectory, "openhip.db"));

        protected override bool PatientPages => true;

        // The audit log's own file holds every audit record but the write audits, once a server has created it.
        protected override IReadOnlyList<string> AuditSchemas => File.Exists(AuditFile) ? ["main.", "audit."] : ["main."];

        /// <summary>A release before the audit log had no audit file either.</summary>
        public override async Task UndoAuditMigrationAsync()
        {
            await base.UndoAuditMigrationAsync();
            foreach (string file in (string[])[AuditFile, AuditFile + "-wal", AuditFile + "-shm"])
            {
                File.Delete(file);
            }
        }

        // Opening replays the WAL the killed server left, as the next start would.
        protected override DbConnection Connect() =>
            new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "openhip.db")};Mode=ReadWrite;Pooling=False;Default Timeout=30");

        protected override async Task OpenedAsync(DbConnection connection)
        {
            if (File.Exists(AuditFile))
            {
                await using DbCommand attach = connection.CreateCommand();
                attach.CommandText = "ATTACH DATABASE $path AS audit";
                ((SqliteCommand)attach).Parameters.AddWithValue("$path", AuditFile);
                await attach.ExecuteNonQueryAsync();
            }
        }
    }

    public sealed class PostgreSql(string dataDirectory, string connectionString) : FaultStore(dataDirectory)
    {
        public override string Name => "PostgreSQL";

        public override IReadOnlyList<string> StoreArguments => ["--store", "postgres", "--connection", connectionString];

        public override int AuditMigrationVersion => 4;

        protected override string UndoAuditMigrationSql =>
            "DROP TABLE audit_block_agent, audit_block, audit_patient_recent, audit_patient, audit_checkpoint, audit_log CASCADE; DROP FUNCTION audit_append_only(); DELETE FROM schema_migrations WHERE version IN (8, 11)";

        protected override DbConnection Connect() => new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
    }
}
