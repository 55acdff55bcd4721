using System.Data;
using System.Data.Common;
using Npgsql;
using OpenHip.Fhir.Storage.Relational.Reading;

namespace OpenHip.Fhir.Storage.PostgreSql;

/// <summary>Reads use pooled connections of the store's data source; a snapshot is a REPEATABLE READ transaction.</summary>
internal sealed class PostgreSqlConnections(NpgsqlDataSource dataSource) : IReaderConnections
{
    public async Task<IReaderLease> RentReaderAsync(CancellationToken cancellationToken) =>
        new OwnedReaderLease(await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false));

    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
}
