import GRDB

/// The schema, as migrations: each is applied once, in order, in its own transaction.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE design (
                    id INTEGER PRIMARY KEY,
                    hash TEXT NOT NULL UNIQUE,          -- FNV-1a 64 of the binary AIGER
                    name TEXT NOT NULL,
                    format TEXT NOT NULL,               -- format of the file it came from
                    source TEXT NOT NULL,               -- path it was read from
                    inputs INTEGER NOT NULL, outputs INTEGER NOT NULL, latches INTEGER NOT NULL,
                    ands INTEGER NOT NULL, levels INTEGER NOT NULL,
                    aiger BLOB NOT NULL,                -- binary AIGER: a database is a self-contained dataset
                    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
                );
                CREATE INDEX design_name ON design(name);
                CREATE TABLE flow (
                    id INTEGER PRIMARY KEY,
                    text TEXT NOT NULL UNIQUE,          -- canonical text form
                    hash TEXT NOT NULL,
                    length INTEGER NOT NULL
                );
                CREATE TABLE library (
                    id INTEGER PRIMARY KEY,
                    hash TEXT NOT NULL UNIQUE,          -- hash of the content (or of the LUT size)
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL                  -- genlib, liberty, lut, external
                );
                CREATE TABLE label (
                    id INTEGER PRIMARY KEY,
                    design_id INTEGER NOT NULL REFERENCES design(id) ON DELETE CASCADE,
                    flow_id INTEGER NOT NULL REFERENCES flow(id) ON DELETE CASCADE,
                    library_id INTEGER NOT NULL REFERENCES library(id) ON DELETE CASCADE,
                    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'timeout')),
                    delay REAL, area REAL,              -- after mapping (ps and library area units)
                    ands INTEGER, levels INTEGER,       -- of the AIG after the flow
                    seconds REAL,
                    abc_version TEXT,
                    error TEXT,
                    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                    UNIQUE (design_id, flow_id, library_id)
                );
                CREATE TABLE model (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL,                 -- supernode, sequence
                    path TEXT NOT NULL,                 -- checkpoint (.safetensors) path
                    config TEXT NOT NULL,               -- JSON
                    fingerprint TEXT NOT NULL,          -- of the training data
                    metrics TEXT NOT NULL,              -- JSON
                    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
                );
                CREATE TABLE prediction (
                    id INTEGER PRIMARY KEY,
                    model_id INTEGER NOT NULL REFERENCES model(id) ON DELETE CASCADE,
                    design_id INTEGER NOT NULL REFERENCES design(id) ON DELETE CASCADE,
                    flow_id INTEGER NOT NULL REFERENCES flow(id) ON DELETE CASCADE,
                    delay REAL NOT NULL, area REAL NOT NULL,
                    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
                );
                CREATE TABLE run (
                    id INTEGER PRIMARY KEY,
                    command TEXT NOT NULL,
                    arguments TEXT NOT NULL,            -- JSON array
                    started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                    ended_at TEXT,
                    status TEXT NOT NULL DEFAULT 'running'
                );
                """)
        }
        // Concurrent `qor label` runs share the work: a labeller claims a key before running ABC
        // on it and releases the claim with the label; a claim past `expires_at` (unix seconds),
        // or held by a process that no longer exists on this host, is taken over.
        m.registerMigration("v2-label-claims") { db in
            try db.execute(sql: """
                CREATE TABLE label_claim (
                    design_id INTEGER NOT NULL, flow_id INTEGER NOT NULL, library_id INTEGER NOT NULL,
                    owner TEXT NOT NULL,                -- host, process id and a random token of the labeller
                    expires_at REAL NOT NULL,
                    PRIMARY KEY (design_id, flow_id, library_id)
                ) WITHOUT ROWID;
                CREATE INDEX label_claim_owner ON label_claim(owner);
                """)
        }
        return m
    }
}
