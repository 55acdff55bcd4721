using System.Data.Common;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.Fhir.Storage.Relational.Reading;

/// <summary>A lease whose commands and connection are disposed with it (the provider pools and prepares on its own).</summary>
public sealed class OwnedReaderLease(DbConnection connection) : IReaderLease
{
    private readonly List<DbCommand> _commands = [];

    public DbConnection Connection => connection;

    public DbCommand Command(DbTransaction? transaction, CompiledSql sql)
    {
        DbCommand command = DbCommands.Create(connection, transaction, sql);
        _commands.Add(command);
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (DbCommand command in _commands)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
