using System.Data.Common;
using System.Globalization;
using OpenHip.Fhir.Faults;

namespace OpenHip.Fhir.Storage.Relational.Migrations;

/// <summary>
/// Applies the missing migrations of a store at start-up, each in its own transaction together with its
/// <c>schema_migrations</c> row, so a crash mid-way leaves the schema at the last complete version.
/// </summary>
public sealed class MigrationRunner(ISqlDialect dialect, TimeProvider timeProvider)
{
    /// <summary>Applies every migration whose version is not yet recorded; returns the versions applied now.</summary>
    public async Task<IReadOnlyList<int>> ApplyAsync(
        DbConnection connection,
        IReadOnlyList<Migration> migrations,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(migrations);
        Validate(migrations);

        await ExecuteAsync(connection, null, dialect.CreateMigrationsTableSql, cancellationToken).ConfigureAwait(false);

        var applied = new List<int>();
        foreach (Migration migration in migrations.OrderBy(m => m.Version))
        {
            DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (dialect.MigrationLockSql is { } lockSql)
                {
                    await ExecuteAsync(connection, transaction, lockSql, cancellationToken).ConfigureAwait(false);
                }

                // Checked inside the transaction: another starter may have applied it since we looked.
                if (await IsAppliedAsync(connection, transaction, migration.Version, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
                FaultInjection.Hit(FaultPoints.Migration);
                await RecordAsync(connection, transaction, migration, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                applied.Add(migration.Version);
            }
        }

        return applied;
    }

    private static void Validate(IReadOnlyList<Migration> migrations)
    {
        var seen = new HashSet<int>();
        foreach (Migration migration in migrations)
        {
            if (migration.Version <= 0 || !seen.Add(migration.Version))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Migration versions must be positive and unique; {migration.Version} is not."),
                    nameof(migrations));
            }
        }
    }

    private async Task<bool> IsAppliedAsync(DbConnection connection, DbTransaction transaction, int version, CancellationToken cancellationToken)
    {
        DbCommand command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT COUNT(*) FROM schema_migrations WHERE version = {dialect.Parameter("version")}";
            AddParameter(command, "version", version);
            object? count = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return Convert.ToInt64(count, CultureInfo.InvariantCulture) > 0;
        }
    }

    private async Task RecordAsync(DbConnection connection, DbTransaction transaction, Migration migration, CancellationToken cancellationToken)
    {
        DbCommand command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText =
                $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({dialect.Parameter("version")}, {dialect.Parameter("name")}, {dialect.Parameter("applied_at")})";
            AddParameter(command, "version", migration.Version);
            AddParameter(command, "name", migration.Name);
            AddParameter(command, "applied_at", dialect.ToDbTimestamp(timeProvider.GetUtcNow()));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        DbCommand command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
