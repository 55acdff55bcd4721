using Npgsql;
using NpgsqlTypes;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// Batched indexing for a bulk load, as pg_restore does it: the secondary indexes of the tables the load writes are
/// dropped before it and built once after it, instead of taking every row one by one (a GIN trigram index and twenty
/// B-trees over ~2 million rows for a 96,000-resource import). Unique indexes and primary keys are never dropped: the
/// load's "already stored?" check and every constraint keep working throughout.
/// Crash safety: each dropped index's definition goes into <c>index_state</c> in the same transaction as its drop,
/// and each rebuild deletes its row in the same transaction as its <c>CREATE INDEX</c>. Whenever the process dies, the
/// rows name exactly the indexes missing, and <see cref="RestoreAsync"/> (run by every open of the store and at the
/// load's end) builds them; no data is ever touched.
/// </summary>
internal static class DeferredIndexes
{
    /// <summary>The prefix of the <c>index_state</c> keys naming a dropped index; the value is its definition.</summary>
    public const string KeyPrefix = "deferred-index:";

    /// <summary>The prefix of the <c>index_state</c> keys naming a table whose autovacuum a load switched off; the value is the table.</summary>
    public const string AutovacuumKeyPrefix = "deferred-autovacuum:";

    // The tables the bulk path writes. resource_current's (type, id) and the other unique keys stay.
    private static readonly string[] Tables =
        ["resource_version", "resource_current", "outbox", "compartment", "ix_string", "ix_token", "ix_reference", "ix_date", "ix_number", "ix_quantity", "ix_uri"];

    // Non-unique, backing no constraint, on one of the tables as the search path resolves them (a store in a schema of
    // its own finds its own tables). Schema-qualified, so that a rebuild lands where the index was.
    private const string SecondarySql =
        """
        SELECT format('%I.%I', n.nspname, i.relname), pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_namespace n ON n.oid = i.relnamespace
        WHERE x.indrelid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) AS t)
          AND NOT x.indisunique AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
        ORDER BY 1
        """;

    // The bytes of the stored resource versions: the table and its TOAST table, without any index (even an empty TOAST
    // table's index has a page, which would outweigh a small load).
    private const string StoredSizeSql =
        "SELECT pg_relation_size(c.oid) + COALESCE(pg_relation_size(NULLIF(c.reltoastrelid, 0)), 0) FROM pg_class c WHERE c.oid = to_regclass('resource_version')";

    // The same tables, unless an operator set autovacuum_enabled on one: that setting is theirs, and left alone.
    private const string AutovacuumTablesSql =
        """
        SELECT format('%I.%I', n.nspname, c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) AS t)
          AND NOT EXISTS (SELECT 1 FROM unnest(COALESCE(c.reloptions, '{}')) AS o WHERE starts_with(o, 'autovacuum_enabled='))
        ORDER BY 1
        """;

    private const string RecordSql = "INSERT INTO index_state (key, value) SELECT $1 || k, v FROM unnest($2::text[], $3::text[]) AS d(k, v) ON CONFLICT (key) DO NOTHING";

    // Largest table first; the table is read from the definition ("CREATE INDEX name ON schema.table USING ...").
    private const string PendingSql =
        """
        SELECT key FROM index_state WHERE starts_with(key, $1)
        ORDER BY pg_relation_size(to_regclass(substring(value FROM ' ON (\S+) USING '))) DESC NULLS LAST, key
        """;

    // The default 64 MB gives a B-tree build one parallel worker at most (32 MB per participant) and sorts ~1 million
    // ix_token rows in several runs; a bigger setting of the server is kept. Local to the build's transaction, so a pooled
    // connection does not keep it.
    private const string MaintenanceMemorySql =
        "SELECT set_config('maintenance_work_mem', '128MB', true) WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < 128 * 1024 * 1024";

    /// <summary>
    /// Drops the secondary indexes when the load (<paramref name="bytes"/> of resource files) outweighs the resources
    /// stored (their table's size): rebuilding indexes over what is already there would then cost more than it saves.
    /// </summary>
    public static async Task<int> DeferAsync(NpgsqlDataSource dataSource, long bytes, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockAsync(connection, transaction, shared: false, cancellationToken).ConfigureAwait(false);
        await using (var size = new NpgsqlCommand(StoredSizeSql, connection, transaction))
        {
            if (bytes <= (long)(await size.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return 0;
            }
        }

        List<(string Name, string Definition)> indexes = [];
        await using (var find = new NpgsqlCommand(SecondarySql, connection, transaction))
        {
            find.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = Tables });
            await using NpgsqlDataReader reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        if (indexes.Count == 0)
        {
            return 0;
        }

        await using (var record = new NpgsqlCommand(RecordSql, connection, transaction))
        {
            record.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = KeyPrefix });
            record.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = [.. indexes.Select(i => i.Name)] });
            record.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = [.. indexes.Select(i => i.Definition)] });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var drop = new NpgsqlCommand("DROP INDEX " + string.Join(", ", indexes.Select(i => i.Name)), connection, transaction))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await PauseAutovacuumAsync(connection, transaction, cancellationToken).ConfigureAwait(false);

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return indexes.Count;
    }

    /// <summary>
    /// Builds every index a load dropped, each in a transaction of its own, on up to <paramref name="connections"/>
    /// connections at once, those of the largest tables first (so that the last build to finish is a short one); returns
    /// how many. With <paramref name="resumeAutovacuum"/>, then switches autovacuum back on (the load's end does that
    /// after its ANALYZE instead, which an autovacuum run on the same table would hold up).
    /// </summary>
    public static async Task<int> RestoreAsync(NpgsqlDataSource dataSource, int connections, bool resumeAutovacuum, CancellationToken cancellationToken)
    {
        List<string> pending = [];
        await using (NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            // A database the store has never migrated has no index_state yet, and nothing to restore.
            await using (var exists = new NpgsqlCommand("SELECT to_regclass('index_state') IS NOT NULL", connection))
            {
                if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    return 0;
                }
            }

            await using var read = new NpgsqlCommand(PendingSql, connection);
            read.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = KeyPrefix });
            await using NpgsqlDataReader reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                pending.Add(reader.GetString(0));
            }
        }

        int built = 0;
        await ConnectionWorkers.RunAsync(dataSource, pending, connections, async (connection, key, ct) =>
        {
            if (await BuildAsync(connection, key, ct).ConfigureAwait(false))
            {
                Interlocked.Increment(ref built);
            }
        }, cancellationToken).ConfigureAwait(false);

        if (resumeAutovacuum)
        {
            await ResumeAutovacuumAsync(dataSource, cancellationToken).ConfigureAwait(false);
        }
        return built;
    }

    private static async Task<bool> BuildAsync(NpgsqlConnection connection, string key, CancellationToken cancellationToken)
    {
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockAsync(connection, transaction, shared: true, cancellationToken).ConfigureAwait(false);

        // Taken under the lock: another process (a server starting during the load) may have built it meanwhile. Two
        // builders of the same index queue on this row: the second finds it gone once the first commits.
        string? definition;
        await using (var take = new NpgsqlCommand("DELETE FROM index_state WHERE key = $1 RETURNING value", connection, transaction))
        {
            take.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = key });
            definition = (string?)await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        if (definition is not null)
        {
            await using (var memory = new NpgsqlCommand(MaintenanceMemorySql, connection, transaction))
            {
                await memory.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var create = new NpgsqlCommand(IfNotExists(definition), connection, transaction);
            create.CommandTimeout = 0;
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return definition is not null;
    }

    /// <summary>
    /// Switches autovacuum off for the loaded tables until the indexes are rebuilt. Its insert-driven runs during a load
    /// analyze tables still being filled (ix_token's extended statistics sample 300,000 rows: ~0.7 CPU-s a run), which
    /// the load's end analyzes again anyway; ~1.1 CPU-s of PostgreSQL's ~12 per 96,000-resource import, on the cores the
    /// importer needs. Recorded with the dropped indexes, so a crash leaves it for the next open to switch back on.
    /// </summary>
    private static async Task PauseAutovacuumAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        List<string> tables = [];
        await using (var find = new NpgsqlCommand(AutovacuumTablesSql, connection, transaction))
        {
            find.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = Tables });
            await using NpgsqlDataReader reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (tables.Count == 0)
        {
            return;
        }

        await using (var record = new NpgsqlCommand(RecordSql, connection, transaction))
        {
            record.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = AutovacuumKeyPrefix });
            record.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = [.. tables] });
            record.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = [.. tables] });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Table names from the catalog, quoted by format('%I'); ALTER TABLE takes no parameters.
        await using var pause = new NpgsqlCommand(string.Concat(tables.Select(t => $"ALTER TABLE {t} SET (autovacuum_enabled = false);")), connection, transaction);
        await pause.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Switches autovacuum back on for every table a load (this one, or one that died) switched it off for; the records
    /// go in the same transaction, and a second caller waits on their rows and then finds none.
    /// </summary>
    public static async Task ResumeAutovacuumAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockAsync(connection, transaction, shared: true, cancellationToken).ConfigureAwait(false);
        List<string> tables = [];
        await using (var take = new NpgsqlCommand("DELETE FROM index_state WHERE starts_with(key, $1) RETURNING value", connection, transaction))
        {
            take.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = AutovacuumKeyPrefix });
            await using NpgsqlDataReader reader = await take.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (tables.Count > 0)
        {
            await using var resume = new NpgsqlCommand(string.Concat(tables.Select(t => $"ALTER TABLE IF EXISTS {t} RESET (autovacuum_enabled);")), connection, transaction);
            await resume.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // A deferral excludes every other deferral and rebuild, across processes; rebuilds share the lock (builds of different
    // indexes run side by side, two of the same index queue on its index_state row).
    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, bool shared, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            shared ? "SELECT pg_advisory_xact_lock_shared(hashtext('openhip:deferred-indexes'))" : "SELECT pg_advisory_xact_lock(hashtext('openhip:deferred-indexes'))", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string IfNotExists(string definition)
    {
        const string Create = "CREATE INDEX ";
        return definition.StartsWith(Create, StringComparison.Ordinal)
            ? "CREATE INDEX IF NOT EXISTS " + definition[Create.Length..]
            : throw new InvalidOperationException($"not a definition of a non-unique index: {definition}");
    }
}
