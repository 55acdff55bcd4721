using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace OpenHip.Fhir.Storage.PostgreSql;

/// <summary>Settings of the PostgreSQL store ("Storage:PostgreSql"): one database, shared by every node.</summary>
public sealed class PostgreSqlStoreOptions
{
    public const string SectionName = "Storage:PostgreSql";
    public const string ConnectionStringKey = SectionName + ":ConnectionString";

    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Database=openhip;Username=openhip;Password=...</c> (pooling options included).</summary>
    [Required]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Rows fetched per round trip by streaming reads.</summary>
    [Range(1, 100_000)]
    public int StreamBatchSize { get; set; } = 500;

    /// <summary>How often a changeset is tried again when PostgreSQL aborted it for a deadlock or serialization failure.</summary>
    [Range(0, 100)]
    public int TransientRetries { get; set; } = 5;

    /// <summary>
    /// Whether <c>openhip import</c> drops the secondary indexes before a load that outweighs the store and builds them
    /// after it (see docs/operations.md). Off keeps them maintained row by row, e.g. while other nodes serve searches.
    /// </summary>
    public bool DeferIndexesOnImport { get; set; } = true;

    /// <summary>Why the connection string cannot be used, without repeating it (it may hold a password); null when it parses.</summary>
    public string? ConnectionStringProblem()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            return "a connection string is required";
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
            return string.IsNullOrEmpty(builder.Host) ? "the connection string names no Host" : null;
        }
        catch (ArgumentException ex)
        {
            return "the connection string does not parse: " + ex.Message;
        }
    }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("A PostgreSQL connection string is required.", nameof(ConnectionString));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(StreamBatchSize, 1, nameof(StreamBatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(TransientRetries, nameof(TransientRetries));
    }
}
