using System.Data.Common;
using OpenHip.Fhir.Storage.Relational;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.LoadDriver;

/// <summary>What the search scenario needs from a store to show the plans of the server's statements.</summary>
internal interface IStorePlans : IDisposable
{
    /// <summary>The store's dialect, so the shared builder produces the statements the server runs.</summary>
    ISqlDialect Dialect { get; }

    /// <summary>A connection to the same data the server reads, for running a statement directly.</summary>
    DbConnection Connection { get; }

    /// <summary>One line on the database engine and its planner statistics.</summary>
    string Describe();

    /// <summary>The plan of <paramref name="sql"/> with its values bound, one line per row of the engine's output.</summary>
    /// <param name="sent">How the server sends the statement: the explain is sent the same way, so it plans with the same settings.</param>
    IReadOnlyList<string> Explain(CompiledSql sql, Func<string, string> sent);
}
