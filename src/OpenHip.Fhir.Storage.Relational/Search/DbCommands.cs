using System.Data.Common;

namespace OpenHip.Fhir.Storage.Relational.Search;

/// <summary>Turns compiled SQL into a provider command; values are always bound as parameters.</summary>
public static class DbCommands
{
    public static DbCommand Create(DbConnection connection, DbTransaction? transaction, CompiledSql sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(sql);
        DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql.Text;
        foreach (KeyValuePair<string, object?> value in sql.Parameters)
        {
            DbParameter parameter = command.CreateParameter();
            parameter.ParameterName = value.Key;
            parameter.Value = value.Value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
