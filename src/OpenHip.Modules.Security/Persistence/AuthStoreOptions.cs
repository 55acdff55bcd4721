namespace OpenHip.Modules.Security.Persistence;

/// <summary>
/// Where the authorization server keeps its tables ("Security:Auth:Store"). The composition root fills it from the
/// server's own storage settings, so the auth tables live beside the FHIR data: <c>auth.db</c> in the data directory
/// with SQLite, the <c>auth</c> schema of the shared database with PostgreSQL.
/// </summary>
public sealed class AuthStoreOptions
{
    public const string SectionName = "Security:Auth:Store";

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>The SQLite file (default <c>data/auth.db</c>).</summary>
    public string SqlitePath { get; set; } = Path.Combine("data", "auth.db");

    public string? ConnectionString { get; set; }

    /// <summary>The PostgreSQL schema that holds the auth tables.</summary>
    public string Schema { get; set; } = "auth";

    public bool IsPostgres => Provider.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);
}
