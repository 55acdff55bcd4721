using System.Data.Common;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.Fhir.Storage.Relational.Writing;

/// <summary>
/// Runs a <see cref="CreateGuard"/>'s criteria inside the writer's own transaction, so the check sees every commit
/// before it and no commit can slip in between the check and the write.
/// </summary>
public sealed class CreateGuardCheck(SearchSqlBuilder builder)
{
    /// <exception cref="CreateGuardViolatedException">Another current resource matches.</exception>
    public void Enforce(DbConnection connection, DbTransaction? transaction, CreateGuard guard)
    {
        using DbCommand command = DbCommands.Create(connection, transaction, Lookup(guard));
        using DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            ThrowIfOther(reader, guard);
        }
    }

    /// <summary>The guard's lookup, for a store that sends it together with other statements.</summary>
    public CompiledSql Lookup(CreateGuard guard) => builder.BuildTokenLookup(guard.Criteria with { Limit = 2 });

    /// <summary>Checks one row of <see cref="Lookup"/>'s result.</summary>
    /// <exception cref="CreateGuardViolatedException">The row is another resource.</exception>
    public static void ThrowIfOther(DbDataReader reader, CreateGuard guard)
    {
        // Column 1 of a search page is the id (SearchSqlBuilder.ResourceColumns).
        string id = reader.GetString(1);
        if (id != guard.CreatedId)
        {
            throw new CreateGuardViolatedException(guard, id);
        }
    }
}
