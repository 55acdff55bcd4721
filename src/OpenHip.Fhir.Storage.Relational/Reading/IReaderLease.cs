using System.Data.Common;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.Fhir.Storage.Relational.Reading;

/// <summary>
/// A reader connection on loan with the commands run on it. The commands belong to the lease (callers dispose their
/// data readers, not the commands), so a store may keep them prepared for the connection's next lease.
/// </summary>
public interface IReaderLease : IAsyncDisposable
{
    DbConnection Connection { get; }

    /// <summary>A command for the SQL with its values bound, in the transaction (or none).</summary>
    DbCommand Command(DbTransaction? transaction, CompiledSql sql);
}
