using System.Data.Common;

namespace OpenHip.Fhir.Storage.Relational.Reading;

/// <summary>How a relational store hands out connections for reads and keeps two statements on one snapshot.</summary>
public interface IReaderConnections
{
    /// <summary>An open connection for reads, with the commands to run on it; the caller disposes the lease.</summary>
    Task<IReaderLease> RentReaderAsync(CancellationToken cancellationToken);

    /// <summary>A read transaction in which every statement sees the same snapshot (a total that agrees with its page).</summary>
    Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);
}
