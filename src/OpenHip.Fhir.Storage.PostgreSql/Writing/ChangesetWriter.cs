using Npgsql;
using NpgsqlTypes;
using OpenHip.Fhir.Faults;
using OpenHip.Fhir.Storage.Relational.Search;
using OpenHip.Fhir.Storage.Relational.Writing;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// Commits a changeset in one transaction on a pooled connection. Each write first claims the resource's current
/// row (insert for a create, update guarded by the expected version otherwise): PostgreSQL's row lock makes a
/// concurrent writer of the same resource wait and then find the version changed, so exactly one of them wins and
/// the other's whole changeset is rolled back with <see cref="VersionConflictException"/>. Several nodes can write
/// to one database this way; PostgreSQL groups the commits' WAL flushes itself.
/// </summary>
internal sealed class ChangesetWriter(
    NpgsqlDataSource dataSource, ParameterIds parameterIds, PlannerStatistics statistics, CreateGuardCheck guardCheck, int transientRetries)
{
    // The claim, the version row and the outbox event in one statement: the version row is only written when the
    // claim succeeded, so a lost race never reaches resource_version's unique (type, id, version).
    private const string Tail =
        """
        , v AS (
            INSERT INTO resource_version (seq, type, id, version, last_updated, method, deleted, source, json)
            SELECT seq, $1, $2, $3, $4, $5, $6, $7, $8 FROM c
        ), o AS (
            INSERT INTO outbox (seq, type, id, version, method, last_updated)
            SELECT seq, $1, $2, $3, $5, $4 FROM c
        )
        SELECT rid, seq FROM c
        """;

    private const string ClaimNewSql =
        """
        WITH c AS (
            INSERT INTO resource_current (type, id, seq, version, deleted, last_updated)
            VALUES ($1, $2, nextval('resource_version_seq'), $3, $6, $4)
            ON CONFLICT (type, id) DO NOTHING
            RETURNING rid, seq
        )
        """ + Tail;

    private const string ClaimExistingSql =
        """
        WITH c AS (
            UPDATE resource_current SET seq = nextval('resource_version_seq'), version = $3, deleted = $6, last_updated = $4
            WHERE type = $1 AND id = $2 AND version = $9
            RETURNING rid, seq
        )
        """ + Tail;

    // The key space of pg_advisory_xact_lock(bigint) is shared with the migration lock (a fixed constant); a 64-bit
    // hash of the guard's canonical criteria makes a collision with it, or between guards, vanishingly rare, and a
    // collision would only serialise two unrelated creates.
    private const string GuardLockSql = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

    private const string ActualVersionSql = "SELECT version FROM resource_current WHERE type = $1 AND id = $2";

    private const string DeleteCompartmentsSql =
        """
        DELETE FROM compartment m USING unnest($1::text[], $2::text[]) AS k(type, id)
        WHERE m.type = k.type AND m.id = k.id
        """;

    public async Task<IReadOnlyList<long>> CommitAsync(Changeset changeset, CancellationToken cancellationToken)
    {
        IReadOnlyList<ResourceWrite> writes = changeset.Writes;
        if (writes.Count == 0)
        {
            return [];
        }

        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await parameterIds.EnsureAsync(connection, FinalWrites(writes).SelectMany(w => IndexRows.ParameterKeys(w.Type, w.Index)), cancellationToken)
            .ConfigureAwait(false);

        IReadOnlyList<long> sequences = await Transient.RunAsync(
            transientRetries,
            () => CommitOnceAsync(connection, writes, changeset.Guards, changeset.AuditRows, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        statistics.Written(writes.Count);
        return sequences;
    }

    // The transaction is opened and committed by statements inside the batches rather than by NpgsqlTransaction,
    // whose BeginTransaction and Commit would each cost a round trip of their own: a changeset is two round trips,
    // guard locks, guard checks and claims in the first, index rows, audit rows and COMMIT in the second. A failing
    // statement makes PostgreSQL skip the rest of its batch, COMMIT included, so nothing of it commits.
    private async Task<IReadOnlyList<long>> CommitOnceAsync(
        NpgsqlConnection connection,
        IReadOnlyList<ResourceWrite> writes,
        IReadOnlyList<CreateGuard> guards,
        IReadOnlyList<Fhir.Audit.AuditRow> auditRows,
        CancellationToken cancellationToken)
    {
        try
        {
            (long Rid, long Seq)?[] claims = await GuardAndClaimAsync(connection, writes, guards, cancellationToken).ConfigureAwait(false);

            int lost = Array.FindIndex(claims, c => c is null);
            if (lost >= 0)
            {
                ResourceWrite write = writes[lost];
                long actual = await ActualVersionAsync(connection, write, cancellationToken).ConfigureAwait(false);
                throw new VersionConflictException(write.Key, write.ExpectedCurrentVersion, actual);
            }

            await using NpgsqlBatch batch = IndexBatch(connection, writes, claims);

            // The writes' audit rows commit with them: no change without its record, no record of a change that failed.
            if (auditRows.Count > 0)
            {
                batch.BatchCommands.Add(PostgreSql.Audit.AuditRowsSql.Insert(batch, auditRows));
            }

            FaultInjection.Hit(FaultPoints.InsideTransaction);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return [.. claims.Select(c => c!.Value.Seq)];
        }
        catch
        {
            await RollbackAsync(connection).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Leaves the connection outside any transaction, unless it broke (then the server ends the transaction).</summary>
    private static async Task RollbackAsync(NpgsqlConnection connection)
    {
        if (connection.State == System.Data.ConnectionState.Open)
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// BEGIN, then each guard's lock and check, then every write's claim, in one round trip. PostgreSQL runs the
    /// statements in order and each takes a fresh snapshot, so a check still reads what the lock's previous holder
    /// committed. A violated guard throws here and the caller rolls the claims back.
    /// </summary>
    private async Task<(long Rid, long Seq)?[]> GuardAndClaimAsync(
        NpgsqlConnection connection,
        IReadOnlyList<ResourceWrite> writes,
        IReadOnlyList<CreateGuard> guards,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));

        // Writers guarding the same criteria queue on one transaction-scoped lock (taken in key order, so two
        // changesets with several guards cannot deadlock).
        CreateGuard[] ordered = [.. guards.OrderBy(g => g.Key, StringComparer.Ordinal)];
        foreach (CreateGuard guard in ordered)
        {
            NpgsqlBatchCommand lockCommand = batch.CreateBatchCommand();
            lockCommand.CommandText = GuardLockSql;
            lockCommand.Parameters.Add(new NpgsqlParameter<string>() { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = guard.Key });
            batch.BatchCommands.Add(lockCommand);

            NpgsqlBatchCommand check = batch.CreateBatchCommand();
            CompiledSql lookup = guardCheck.Lookup(guard);
            check.CommandText = lookup.Text;
            foreach (KeyValuePair<string, object?> value in lookup.Parameters)
            {
                check.Parameters.Add(new NpgsqlParameter(value.Key, value.Value ?? DBNull.Value));
            }

            batch.BatchCommands.Add(check);
        }

        // A run of creates shares one statement; every other write keeps its own.
        IReadOnlyList<(int Start, int Count)> runs = CreateClaims.Runs(writes);
        var runAt = runs.ToDictionary(r => r.Start, r => r.Count);
        for (int i = 0; i < writes.Count; i += runAt.GetValueOrDefault(i, 1))
        {
            batch.BatchCommands.Add(runAt.TryGetValue(i, out int count) ? CreateClaims.Command(batch, writes, i, count) : Claim(batch, writes[i]));
        }

        var claims = new (long Rid, long Seq)?[writes.Count];
        await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        // Npgsql skips BEGIN (no result set); then each lock's one row, each check's rows, each claim's row or none.
        foreach (CreateGuard guard in ordered)
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                CreateGuardCheck.ThrowIfOther(reader, guard);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }

        for (int i = 0; i < writes.Count; i += runAt.GetValueOrDefault(i, 1))
        {
            if (runAt.ContainsKey(i))
            {
                await CreateClaims.ReadAsync(reader, claims, i, cancellationToken).ConfigureAwait(false);
            }
            else if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                claims[i] = (reader.GetInt64(0), reader.GetInt64(1));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }

        return claims;
    }

    private static NpgsqlBatchCommand Claim(NpgsqlBatch batch, ResourceWrite write)
    {
        NpgsqlBatchCommand claim = batch.CreateBatchCommand();
        claim.CommandText = write.ExpectedCurrentVersion == 0 ? ClaimNewSql : ClaimExistingSql;
        NpgsqlParameterCollection p = claim.Parameters;
        p.Add(new NpgsqlParameter<string>() { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = write.Type });
        p.Add(new NpgsqlParameter<string>() { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = write.Id });
        p.Add(new NpgsqlParameter<long>() { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = write.VersionId });
        p.Add(new NpgsqlParameter<long>() { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = write.LastUpdated.ToUnixTimeMilliseconds() });
        p.Add(new NpgsqlParameter<short>() { NpgsqlDbType = NpgsqlDbType.Smallint, TypedValue = (short)write.Method });
        p.Add(new NpgsqlParameter<short>() { NpgsqlDbType = NpgsqlDbType.Smallint, TypedValue = write.IsDelete ? (short)1 : (short)0 });
        p.Add(new NpgsqlParameter() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)write.Source ?? DBNull.Value });
        p.Add(new NpgsqlParameter() { NpgsqlDbType = NpgsqlDbType.Bytea, Value = write.IsDelete || write.Json.IsEmpty ? DBNull.Value : CreateClaims.AsArray(write.Json) });
        if (write.ExpectedCurrentVersion != 0)
        {
            p.Add(new NpgsqlParameter<long>() { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = write.ExpectedCurrentVersion });
        }

        return claim;
    }

    private static async Task<long> ActualVersionAsync(
        NpgsqlConnection connection,
        ResourceWrite write,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ActualVersionSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string>() { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = write.Type });
        command.Parameters.Add(new NpgsqlParameter<string>() { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = write.Id });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : 0;
    }

    /// <summary>
    /// The index and compartment rows of the changeset: the last write of each resource decides them (a deleted
    /// resource keeps none, which keeps it out of every search); rows of a version that existed before go first.
    /// </summary>
    private NpgsqlBatch IndexBatch(NpgsqlConnection connection, IReadOnlyList<ResourceWrite> writes, (long Rid, long Seq)?[] claims)
    {
        var batch = new NpgsqlBatch(connection);
        var existed = new List<(ResourceWrite Write, long Rid)>();
        var seen = new HashSet<ResourceKey>();
        for (int i = 0; i < writes.Count; i++)
        {
            if (seen.Add(writes[i].Key) && writes[i].ExpectedCurrentVersion != 0)
            {
                existed.Add((writes[i], claims[i]!.Value.Rid));
            }
        }

        IndexRows.AddDeletes(batch, [.. existed.Select(e => e.Rid)]);
        if (existed.Count > 0)
        {
            batch.BatchCommands.Add(Command(batch, DeleteCompartmentsSql, Texts(existed.Select(e => e.Write.Type)), Texts(existed.Select(e => e.Write.Id))));
        }

        var rows = new IndexRows(parameterIds);
        var rids = new Dictionary<ResourceKey, long>();
        for (int i = 0; i < writes.Count; i++)
        {
            rids[writes[i].Key] = claims[i]!.Value.Rid;
        }

        foreach (ResourceWrite write in FinalWrites(writes).Where(w => !w.IsDelete))
        {
            rows.Add(write.Type, rids[write.Key], write.Index);
            foreach (string patientId in write.Compartments.Distinct(StringComparer.Ordinal))
            {
                rows.AddCompartment(write.Type, write.Id, patientId);
            }
        }

        // Index and compartment rows of every table in one statement.
        rows.AddInserts(batch);
        return batch;
    }

    /// <summary>The last write of each resource in the changeset, in the order of those writes.</summary>
    private static IEnumerable<ResourceWrite> FinalWrites(IReadOnlyList<ResourceWrite> writes)
    {
        var last = new Dictionary<ResourceKey, int>();
        for (int i = 0; i < writes.Count; i++)
        {
            last[writes[i].Key] = i;
        }

        return last.Values.Order().Select(i => writes[i]);
    }

    private static NpgsqlBatchCommand Command(NpgsqlBatch batch, string sql, params NpgsqlParameter[] parameters)
    {
        NpgsqlBatchCommand command = batch.CreateBatchCommand();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<string[]> Texts(IEnumerable<string> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = [.. values] };
}
