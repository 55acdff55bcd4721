using System.Globalization;
using OpenHip.Fhir.Storage.Relational.Migrations;

namespace OpenHip.Fhir.Storage.Sqlite.Schema;

/// <summary>
/// The schema of the audit log's own file (<see cref="SqliteStoreOptions.AuditDatabasePath"/>): the same tables as the
/// audit log in the database file, with its own <c>schema_migrations</c>. Never edit an applied step; add a new one.
/// </summary>
internal static class SqliteAuditFileMigrations
{
    /// <summary>
    /// The file's event ids start here, so that they never meet the database file's (which only write audits advance
    /// now: a thousand years of them at a thousand a second stay below it) and a reader knows which file holds an id.
    /// Below 2^53, so they survive JSON numbers too.
    /// </summary>
    public const long FirstId = 1_000_000_000_000_001;

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "audit log tables apart from the FHIR data, event ids from " + FirstId, V1AuditTables),
        new(2, "audit patient index kept as sorted runs merged level by level", SqliteMigrations.V6AuditPatientRuns),
        new(3, "audit patient index runs kept as pages of keys", SqliteMigrations.V7AuditPatientPages),
        new(4, "audit patient index keyed by a hash of the patient id", SqliteMigrations.V8AuditPatientHashPages),
    ];

    // A property, not a field: All, declared above, is initialised first.
    private static string V1AuditTables =>
        SqliteMigrations.V3AuditLog + SqliteMigrations.V4AuditPatientRecent + SqliteMigrations.V5AuditBlocks
        + string.Create(CultureInfo.InvariantCulture, $"\nINSERT INTO sqlite_sequence (name, seq) VALUES ('audit_log', {FirstId - 1});");
}
