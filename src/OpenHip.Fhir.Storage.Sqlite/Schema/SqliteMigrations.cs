using OpenHip.Fhir.Storage.Relational.Migrations;

namespace OpenHip.Fhir.Storage.Sqlite.Schema;

/// <summary>
/// The schema of the SQLite store, one numbered step at a time. Never edit an applied step; add a new one.
/// </summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "resource versions, current pointers, token index, compartments, outbox", V1InitialSchema),
    ];

    // resource_version.seq is the global sequence: history paging and the outbox key on it. AUTOINCREMENT keeps
    // it from ever reusing a value. Only the current version of each resource is indexed (token_index,
    // compartment), so searches never have to filter out old versions.
    private const string V1InitialSchema =
        """
        CREATE TABLE resource_version (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT,
            type         TEXT    NOT NULL,
            id           TEXT    NOT NULL,
            version      INTEGER NOT NULL,
            last_updated INTEGER NOT NULL, -- unix epoch milliseconds, UTC
            method       INTEGER NOT NULL, -- OpenHip.Fhir.Storage.WriteMethod
            deleted      INTEGER NOT NULL,
            source       TEXT,
            json         BLOB,             -- NULL for a delete
            UNIQUE (type, id, version)
        );

        CREATE INDEX ix_resource_version_type_seq ON resource_version (type, seq);

        CREATE TABLE resource_current (
            type         TEXT    NOT NULL,
            id           TEXT    NOT NULL,
            seq          INTEGER NOT NULL REFERENCES resource_version (seq),
            version      INTEGER NOT NULL,
            deleted      INTEGER NOT NULL,
            last_updated INTEGER NOT NULL,
            PRIMARY KEY (type, id)
        ) WITHOUT ROWID;

        -- Streaming reads (bulk export, reindex) walk live resources of a type by lastUpdated.
        CREATE INDEX ix_resource_current_stream ON resource_current (type, last_updated, id) WHERE deleted = 0;

        CREATE TABLE token_index (
            type   TEXT NOT NULL,
            id     TEXT NOT NULL,
            param  TEXT NOT NULL,
            system TEXT,          -- NULL when the element had no system
            code   TEXT NOT NULL
        );

        CREATE INDEX ix_token_index_lookup ON token_index (type, param, code, system, id);
        CREATE INDEX ix_token_index_resource ON token_index (type, id);

        CREATE TABLE compartment (
            type       TEXT NOT NULL,
            id         TEXT NOT NULL,
            patient_id TEXT NOT NULL,
            PRIMARY KEY (type, id, patient_id)
        ) WITHOUT ROWID;

        CREATE INDEX ix_compartment_patient ON compartment (patient_id, type);

        CREATE TABLE outbox (
            seq          INTEGER PRIMARY KEY REFERENCES resource_version (seq),
            type         TEXT    NOT NULL,
            id           TEXT    NOT NULL,
            version      INTEGER NOT NULL,
            method       INTEGER NOT NULL,
            last_updated INTEGER NOT NULL
        );

        CREATE TABLE consumer_position (
            consumer TEXT    NOT NULL PRIMARY KEY,
            position INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;
}
