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
        new(2, "row keys on current resources, typed search index tables", V2SearchIndex),
        new(3, "append-only audit log: hash-chained rows, patient index, checkpoints", V3AuditLog),
        new(4, "audit patient keys gathered in arrival order before they are merged into the patient index", V4AuditPatientRecent),
        new(5, "audit events moved from the journal kept in blocks; patient keys without a foreign key to audit_log", V5AuditBlocks),
        new(6, "audit patient index kept as sorted runs merged level by level", V6AuditPatientRuns),
        new(7, "audit patient index runs kept as pages of keys", V7AuditPatientPages),
        new(8, "audit patient index keyed by a hash of the patient id", V8AuditPatientHashPages),
    ];

    // The audit log is apart from the FHIR tables: a compact row per event, chained by hash within its chain (one per
    // writer lane), with the patient and agent keys it is looked up by. The triggers make the tables append-only for
    // anything going through SQLite; someone editing the file itself is what the hash chains and checkpoints catch.
    internal const string V3AuditLog =
        """
        CREATE TABLE audit_log (
            aid       INTEGER PRIMARY KEY AUTOINCREMENT,
            chain_id  TEXT    NOT NULL,
            seq       INTEGER NOT NULL, -- position in the chain, from 1 without gaps
            recorded  INTEGER NOT NULL, -- unix epoch milliseconds, UTC
            agent     TEXT,             -- who acted; NULL for the server's own work
            payload   BLOB    NOT NULL, -- the event as compact JSON
            hash      BLOB    NOT NULL, -- SM3(prev_hash || canonical row bytes)
            prev_hash BLOB    NOT NULL,
            UNIQUE (chain_id, seq)
        );

        CREATE INDEX ix_audit_log_recorded ON audit_log (recorded, aid);
        CREATE INDEX ix_audit_log_agent ON audit_log (agent, recorded, aid);

        CREATE TABLE audit_patient (
            patient_id TEXT    NOT NULL,
            recorded   INTEGER NOT NULL,
            aid        INTEGER NOT NULL REFERENCES audit_log (aid),
            PRIMARY KEY (patient_id, recorded, aid)
        ) WITHOUT ROWID;

        CREATE TABLE audit_checkpoint (
            node      TEXT    NOT NULL,
            number    INTEGER NOT NULL,
            recorded  INTEGER NOT NULL,
            body      BLOB    NOT NULL, -- the signed canonical JSON
            signature BLOB    NOT NULL,
            PRIMARY KEY (node, number)
        );

        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_patient_no_update BEFORE UPDATE ON audit_patient BEGIN SELECT RAISE(ABORT, 'audit_patient is append-only'); END;
        CREATE TRIGGER audit_patient_no_delete BEFORE DELETE ON audit_patient BEGIN SELECT RAISE(ABORT, 'audit_patient is append-only'); END;
        CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END;
        CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END;
        """;

    // Keyed by event id, so each move appends at the end; the writer merges the keys into audit_patient in key order and
    // empties this table in one transaction (AuditRowWriter). A key is in exactly one of the two tables; readers look
    // in both. Deleting here is the merge's job, so only updates are refused.
    internal const string V4AuditPatientRecent =
        """
        CREATE TABLE audit_patient_recent (
            aid        INTEGER NOT NULL REFERENCES audit_log (aid),
            patient_id TEXT    NOT NULL,
            recorded   INTEGER NOT NULL,
            PRIMARY KEY (aid, patient_id)
        ) WITHOUT ROWID;

        CREATE TRIGGER audit_patient_recent_no_update BEFORE UPDATE ON audit_patient_recent BEGIN SELECT RAISE(ABORT, 'audit_patient_recent is append-only'); END;
        """;

    // A journal move stores its events as blocks (OpenHip.Fhir.Storage.Relational.Audit.AuditBlock): one row per up to 128
    // consecutive events of a chain, whose ids are taken from audit_log's AUTOINCREMENT so that ids stay unique across both
    // tables, and one agent key per block and agent. Patient keys stay one per event and now name events of either table,
    // so the two key tables are rebuilt without their foreign key to audit_log (SQLite cannot drop one in place).
    internal const string V5AuditBlocks =
        """
        CREATE TABLE audit_block (
            first_aid      INTEGER PRIMARY KEY, -- the events' ids are first_aid .. first_aid + count - 1
            count          INTEGER NOT NULL,
            chain_id       TEXT    NOT NULL,
            first_seq      INTEGER NOT NULL,
            first_recorded INTEGER NOT NULL,    -- the earliest event's time, unix epoch milliseconds, UTC
            last_recorded  INTEGER NOT NULL,    -- the latest event's
            prev_hash      BLOB    NOT NULL,    -- the chain's hash before the first event
            body           BLOB    NOT NULL,    -- the events (AuditBlock)
            UNIQUE (chain_id, first_seq)
        );

        CREATE INDEX ix_audit_block_recorded ON audit_block (first_recorded);

        CREATE TABLE audit_block_agent (
            agent     TEXT    NOT NULL,
            first_aid INTEGER NOT NULL,
            PRIMARY KEY (agent, first_aid)
        ) WITHOUT ROWID;

        CREATE TRIGGER audit_block_no_update BEFORE UPDATE ON audit_block BEGIN SELECT RAISE(ABORT, 'audit_block is append-only'); END;
        CREATE TRIGGER audit_block_no_delete BEFORE DELETE ON audit_block BEGIN SELECT RAISE(ABORT, 'audit_block is append-only'); END;
        CREATE TRIGGER audit_block_agent_no_update BEFORE UPDATE ON audit_block_agent BEGIN SELECT RAISE(ABORT, 'audit_block_agent is append-only'); END;
        CREATE TRIGGER audit_block_agent_no_delete BEFORE DELETE ON audit_block_agent BEGIN SELECT RAISE(ABORT, 'audit_block_agent is append-only'); END;

        CREATE TABLE audit_patient_v5 (
            patient_id TEXT    NOT NULL,
            recorded   INTEGER NOT NULL,
            aid        INTEGER NOT NULL,
            PRIMARY KEY (patient_id, recorded, aid)
        ) WITHOUT ROWID;
        INSERT INTO audit_patient_v5 (patient_id, recorded, aid) SELECT patient_id, recorded, aid FROM audit_patient;
        DROP TABLE audit_patient;
        ALTER TABLE audit_patient_v5 RENAME TO audit_patient;
        CREATE TRIGGER audit_patient_no_update BEFORE UPDATE ON audit_patient BEGIN SELECT RAISE(ABORT, 'audit_patient is append-only'); END;
        CREATE TRIGGER audit_patient_no_delete BEFORE DELETE ON audit_patient BEGIN SELECT RAISE(ABORT, 'audit_patient is append-only'); END;

        CREATE TABLE audit_patient_recent_v5 (
            aid        INTEGER NOT NULL,
            patient_id TEXT    NOT NULL,
            recorded   INTEGER NOT NULL,
            PRIMARY KEY (aid, patient_id)
        ) WITHOUT ROWID;
        INSERT INTO audit_patient_recent_v5 (aid, patient_id, recorded) SELECT aid, patient_id, recorded FROM audit_patient_recent;
        DROP TABLE audit_patient_recent;
        ALTER TABLE audit_patient_recent_v5 RENAME TO audit_patient_recent;
        CREATE TRIGGER audit_patient_recent_no_update BEFORE UPDATE ON audit_patient_recent BEGIN SELECT RAISE(ABORT, 'audit_patient_recent is append-only'); END;
        """;

    // The patient index becomes a log-structured merge (OpenHip.Fhir.Storage.Sqlite.Writing.AuditPatientRuns): each merge
    // of the gathered keys writes a new run, whose number leads the key, so a run is written at the end of the B-tree in
    // key order whatever the index's size; runs are merged into larger runs level by level. Readers look a patient up
    // in every run named in audit_patient_run. A merge deletes the keys it has copied, so only updates are refused; a
    // key deleted by anyone else is what `audit verify` reports. The keys already indexed become the first run.
    internal const string V6AuditPatientRuns =
        """
        CREATE TABLE audit_patient_run (
            run          INTEGER PRIMARY KEY,
            keys         INTEGER NOT NULL, -- the keys written to the run (a merge's sources keep theirs until it ends)
            merging_into INTEGER           -- set while the run's keys are being copied into that run
        );

        CREATE TABLE audit_patient_v6 (
            run        INTEGER NOT NULL,
            patient_id TEXT    NOT NULL,
            recorded   INTEGER NOT NULL,
            aid        INTEGER NOT NULL,
            PRIMARY KEY (run, patient_id, recorded, aid)
        ) WITHOUT ROWID;
        INSERT INTO audit_patient_run (run, keys) SELECT 1, COUNT(*) FROM audit_patient HAVING COUNT(*) > 0;
        INSERT INTO audit_patient_v6 (run, patient_id, recorded, aid) SELECT 1, patient_id, recorded, aid FROM audit_patient ORDER BY patient_id, recorded, aid;
        DROP TABLE audit_patient;
        ALTER TABLE audit_patient_v6 RENAME TO audit_patient;
        CREATE TRIGGER audit_patient_no_update BEFORE UPDATE ON audit_patient BEGIN SELECT RAISE(ABORT, 'audit_patient keys are never updated'); END;
        """;

    // The patient index's runs become pages of up to 256 keys each (OpenHip.Fhir.Storage.Relational.Audit.AuditKeyPage),
    // written and merged by the writer in managed code (OpenHip.Fhir.Storage.Sqlite.Writing.AuditPatientRuns); a page is
    // found by the last patient it holds. A run without a key count is a merge's target, which readers skip until it is
    // complete. The keys of the row runs (migration 6) and of audit_patient_recent stay where they are: readers look
    // there too, and nothing writes there any more.
    internal const string V7AuditPatientPages =
        """
        CREATE TABLE audit_patient_page_run (
            run          INTEGER PRIMARY KEY,
            keys         INTEGER, -- NULL while a merge builds the run
            merging_into INTEGER  -- set while the run's keys are being merged into that run
        );

        CREATE TABLE audit_patient_page (
            run           INTEGER NOT NULL,
            page_no       INTEGER NOT NULL, -- from 1, in key order within the run
            first_patient TEXT    NOT NULL,
            last_patient  TEXT    NOT NULL,
            page          BLOB    NOT NULL,
            PRIMARY KEY (run, page_no)
        );

        CREATE INDEX ix_audit_patient_page_last ON audit_patient_page (run, last_patient, page_no);
        CREATE TRIGGER audit_patient_page_no_update BEFORE UPDATE ON audit_patient_page BEGIN SELECT RAISE(ABORT, 'audit_patient_page pages are never updated'); END;
        """;

    // The patient index's runs again, their keys holding a 64-bit hash of the patient id instead of the id
    // (OpenHip.Fhir.Storage.Relational.Audit.HashedKeyPage), so that merges compare and copy numbers; a page is found by
    // the last hash it holds. The pages of migration 7 stay where they are, read and counted as before, and are no longer
    // written or merged.
    internal const string V8AuditPatientHashPages =
        """
        CREATE TABLE audit_patient_hash_run (
            run          INTEGER PRIMARY KEY,
            keys         INTEGER, -- NULL while a merge builds the run
            merging_into INTEGER  -- set while the run's keys are being merged into that run
        );

        CREATE TABLE audit_patient_hash_page (
            run        INTEGER NOT NULL,
            page_no    INTEGER NOT NULL, -- from 1, in key order within the run
            first_hash INTEGER NOT NULL,
            last_hash  INTEGER NOT NULL,
            page       BLOB    NOT NULL,
            PRIMARY KEY (run, page_no)
        );

        CREATE INDEX ix_audit_patient_hash_page_last ON audit_patient_hash_page (run, last_hash, page_no);
        CREATE TRIGGER audit_patient_hash_page_no_update BEFORE UPDATE ON audit_patient_hash_page BEGIN SELECT RAISE(ABORT, 'audit_patient_hash_page pages are never updated'); END;
        """;

    /// <summary>Every audit patient key: those in the runs listed (one index seek per run), and those gathered for the next.</summary>
    internal const string AuditPatientKeys =
        "(SELECT patient_id, recorded, aid FROM audit_patient WHERE run IN (SELECT run FROM audit_patient_run)"
        + " UNION ALL SELECT patient_id, recorded, aid FROM audit_patient_recent)";

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

    // Index rows key on an integer row id (rid) of resource_current instead of (type, id) text, and on an integer
    // parameter id (pid) instead of the parameter code: a tenth of the bytes per row at a million resources. rids
    // never change or get reused (a deleted resource keeps its row). Token rows carry over; the other tables fill
    // through $reindex, which index_state asks the engine to run on the next start.
    private const string V2SearchIndex =
        """
        CREATE TABLE resource_current_v2 (
            rid          INTEGER PRIMARY KEY,
            type         TEXT    NOT NULL,
            id           TEXT    NOT NULL,
            seq          INTEGER NOT NULL REFERENCES resource_version (seq),
            version      INTEGER NOT NULL,
            deleted      INTEGER NOT NULL,
            last_updated INTEGER NOT NULL,
            UNIQUE (type, id)
        );

        INSERT INTO resource_current_v2 (type, id, seq, version, deleted, last_updated)
        SELECT type, id, seq, version, deleted, last_updated FROM resource_current ORDER BY seq;

        DROP TABLE resource_current;
        ALTER TABLE resource_current_v2 RENAME TO resource_current;

        CREATE INDEX ix_resource_current_stream ON resource_current (type, last_updated, id) WHERE deleted = 0;
        -- An index on (type) is ordered by rowid within a type: the default search order, read straight off it.
        CREATE INDEX ix_resource_current_type ON resource_current (type) WHERE deleted = 0;

        CREATE TABLE search_param (
            pid  INTEGER PRIMARY KEY AUTOINCREMENT,
            type TEXT NOT NULL,
            code TEXT NOT NULL, -- composite components: code$0, code$1, ...
            UNIQUE (type, code)
        );

        INSERT INTO search_param (type, code) SELECT DISTINCT type, param FROM token_index ORDER BY type, param;

        CREATE TABLE ix_string (
            rid   INTEGER NOT NULL,
            pid   INTEGER NOT NULL,
            norm  TEXT    NOT NULL,
            exact TEXT    NOT NULL,
            grp   INTEGER           -- composite group within the resource, else NULL
        );
        CREATE INDEX ix_string_lookup ON ix_string (pid, norm, rid);
        CREATE INDEX ix_string_rid ON ix_string (rid, pid);

        CREATE TABLE ix_token (
            rid    INTEGER NOT NULL,
            pid    INTEGER NOT NULL,
            system TEXT,
            code   TEXT,
            text   TEXT,
            grp    INTEGER
        );
        CREATE INDEX ix_token_lookup ON ix_token (pid, code, system, rid);
        CREATE INDEX ix_token_rid ON ix_token (rid, pid);

        INSERT INTO ix_token (rid, pid, system, code)
        SELECT c.rid, p.pid, t.system, t.code
        FROM token_index t
        JOIN resource_current c ON c.type = t.type AND c.id = t.id
        JOIN search_param p ON p.type = t.type AND p.code = t.param;

        DROP TABLE token_index;

        CREATE TABLE ix_reference (
            rid         INTEGER NOT NULL,
            pid         INTEGER NOT NULL,
            target_type TEXT,
            target_id   TEXT,
            url         TEXT,
            version     TEXT,
            grp         INTEGER
        );
        CREATE INDEX ix_reference_lookup ON ix_reference (pid, target_id, target_type, rid);
        CREATE INDEX ix_reference_url ON ix_reference (pid, url, rid) WHERE url IS NOT NULL;
        CREATE INDEX ix_reference_rid ON ix_reference (rid, pid);

        CREATE TABLE ix_date (
            rid INTEGER NOT NULL,
            pid INTEGER NOT NULL,
            lo  INTEGER NOT NULL, -- unix epoch milliseconds, inclusive
            hi  INTEGER NOT NULL, -- inclusive
            grp INTEGER
        );
        CREATE INDEX ix_date_lo ON ix_date (pid, lo, hi, rid);
        CREATE INDEX ix_date_hi ON ix_date (pid, hi, rid);
        CREATE INDEX ix_date_rid ON ix_date (rid, pid);

        CREATE TABLE ix_number (
            rid   INTEGER NOT NULL,
            pid   INTEGER NOT NULL,
            value REAL    NOT NULL, -- a value, or the low end of a Range
            high  REAL    NOT NULL, -- = value, or the high end of a Range
            grp   INTEGER
        );
        CREATE INDEX ix_number_lookup ON ix_number (pid, value, rid);
        CREATE INDEX ix_number_rid ON ix_number (rid, pid);

        CREATE TABLE ix_quantity (
            rid     INTEGER NOT NULL,
            pid     INTEGER NOT NULL,
            value   REAL    NOT NULL,
            system  TEXT,
            code    TEXT,
            unit    TEXT,             -- the human unit as written
            cvalue  REAL,             -- UCUM canonical value and unit, when convertible
            ccode   TEXT,
            grp     INTEGER
        );
        CREATE INDEX ix_quantity_lookup ON ix_quantity (pid, code, value, rid);
        CREATE INDEX ix_quantity_canonical ON ix_quantity (pid, ccode, cvalue, rid) WHERE ccode IS NOT NULL;
        CREATE INDEX ix_quantity_rid ON ix_quantity (rid, pid);

        CREATE TABLE ix_uri (
            rid INTEGER NOT NULL,
            pid INTEGER NOT NULL,
            uri TEXT    NOT NULL,
            grp INTEGER
        );
        CREATE INDEX ix_uri_lookup ON ix_uri (pid, uri, rid);
        CREATE INDEX ix_uri_rid ON ix_uri (rid, pid);

        CREATE TABLE index_state (
            key   TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        INSERT INTO index_state (key, value)
        SELECT 'reindex-required', 'schema v2 added index tables' WHERE EXISTS (SELECT 1 FROM resource_current);
        """;
}
