-- Warren catalog, schema 1. Frozen once shipped: change the schema with a new numbered file.

-- Marks a directory as a Warren repository; exactly one row.
CREATE TABLE repository (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    format      TEXT NOT NULL,          -- 'warren-repository'
    uuid        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- Every object in objects/, by SHA-256. A row exists only once the file is durable.
CREATE TABLE object (
    sha256      BLOB PRIMARY KEY CHECK (length(sha256) = 32),
    size        INTEGER NOT NULL CHECK (size >= 0),
    stored_at   TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE backup (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    node                    TEXT NOT NULL,
    label                   TEXT,
    taken_at                TEXT NOT NULL,      -- ISO-8601 UTC, sortable
    created_at              TEXT NOT NULL,
    completed_at            TEXT,
    state                   TEXT NOT NULL CHECK (state IN ('in_progress', 'complete', 'failed')),
    failure                 TEXT,
    source                  TEXT NOT NULL CHECK (source IN ('register', 'backup')),
    source_path             TEXT,
    consistent              INTEGER,            -- 1 stopped app, 0 live copy, NULL unknown
    broker_version          TEXT,
    definitions_sha256      BLOB,
    definitions_size        INTEGER,
    vhost_count             INTEGER NOT NULL DEFAULT 0,
    queue_count             INTEGER NOT NULL DEFAULT 0,
    exchange_count          INTEGER NOT NULL DEFAULT 0,
    binding_count           INTEGER NOT NULL DEFAULT 0,
    policy_count            INTEGER NOT NULL DEFAULT 0,
    user_count              INTEGER NOT NULL DEFAULT 0,
    users_with_password     INTEGER NOT NULL DEFAULT 0,
    permission_count        INTEGER NOT NULL DEFAULT 0,
    stored_vhost_count      INTEGER NOT NULL DEFAULT 0,
    stored_queue_count      INTEGER NOT NULL DEFAULT 0,
    file_count              INTEGER NOT NULL DEFAULT 0,
    logical_bytes           INTEGER NOT NULL DEFAULT 0,
    added_objects           INTEGER NOT NULL DEFAULT 0,
    added_bytes             INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX backup_by_node_time ON backup (node, taken_at);
CREATE INDEX backup_by_time ON backup (taken_at);

-- Inventory, from the definitions file.
CREATE TABLE def_vhost (
    backup_id           INTEGER NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    default_queue_type  TEXT,
    PRIMARY KEY (backup_id, name)
) WITHOUT ROWID;

CREATE TABLE def_queue (
    backup_id       INTEGER NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    vhost           TEXT NOT NULL,
    name            TEXT NOT NULL,
    type            TEXT NOT NULL,              -- classic, quorum, stream, or what the file says
    durable         INTEGER NOT NULL,
    auto_delete     INTEGER NOT NULL,
    arguments       TEXT NOT NULL,              -- JSON object, keys sorted
    PRIMARY KEY (backup_id, vhost, name)
) WITHOUT ROWID;

CREATE TABLE def_exchange (
    backup_id       INTEGER NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    vhost           TEXT NOT NULL,
    name            TEXT NOT NULL,
    type            TEXT NOT NULL,
    durable         INTEGER NOT NULL,
    auto_delete     INTEGER NOT NULL,
    internal        INTEGER NOT NULL,
    arguments       TEXT NOT NULL,
    PRIMARY KEY (backup_id, vhost, name)
) WITHOUT ROWID;

CREATE TABLE def_binding (
    backup_id           INTEGER NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    vhost               TEXT NOT NULL,
    source              TEXT NOT NULL,
    destination         TEXT NOT NULL,
    destination_type    TEXT NOT NULL,
    routing_key         TEXT NOT NULL,
    arguments           TEXT NOT NULL
);
CREATE INDEX def_binding_by_backup ON def_binding (backup_id);

CREATE TABLE def_policy (
    backup_id       INTEGER NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    vhost           TEXT NOT NULL,
    name            TEXT NOT NULL,
    pattern         TEXT NOT NULL,
    apply_to        TEXT NOT NULL,
    priority        INTEGER NOT NULL,
    definition      TEXT NOT NULL,
    PRIMARY KEY (backup_id, vhost, name)
) WITHOUT ROWID;

-- What msg_stores held: vhost directories, queue directories, files.
CREATE TABLE store_vhost (
    id                  INTEGER PRIMARY KEY,
    backup_id           INTEGER NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    dir_name            TEXT NOT NULL,
    vhost               TEXT,                   -- from .vhost; NULL when the file is missing
    dir_matches_name    INTEGER NOT NULL,       -- dir_name = base36(md5(vhost))
    segment_entry_count INTEGER,                -- from .config; NULL when absent
    UNIQUE (backup_id, dir_name)
);

CREATE TABLE store_queue (
    id                  INTEGER PRIMARY KEY,
    backup_id           INTEGER NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    store_vhost_id      INTEGER NOT NULL REFERENCES store_vhost (id) ON DELETE CASCADE,
    dir_name            TEXT NOT NULL,
    vhost               TEXT,                   -- from .queue_name; NULL when the file is missing
    name                TEXT,
    index_version       INTEGER,                -- 1 or 2; NULL when unknown
    dir_matches_name    INTEGER NOT NULL,       -- dir_name = base36(md5("queue" ++ vhost ++ name))
    file_count          INTEGER NOT NULL,
    bytes               INTEGER NOT NULL,
    UNIQUE (store_vhost_id, dir_name)
);
CREATE INDEX store_queue_by_backup ON store_queue (backup_id);

CREATE TABLE manifest_file (
    backup_id       INTEGER NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    path            TEXT NOT NULL,              -- relative to msg_stores/, '/'-separated
    size            INTEGER NOT NULL,
    sha256          BLOB NOT NULL CHECK (length(sha256) = 32),
    kind            TEXT NOT NULL,
    store_vhost_id  INTEGER,
    store_queue_id  INTEGER,
    mtime_ns        INTEGER,
    ctime_ns        INTEGER,
    inode           INTEGER,
    PRIMARY KEY (backup_id, path)
) WITHOUT ROWID;
CREATE INDEX manifest_file_by_object ON manifest_file (sha256);
