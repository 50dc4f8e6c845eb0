-- Live backups and restores.

-- The broker's own per-queue message counts when the backup was taken: the figures a
-- restore's post-check expects.
CREATE TABLE expected_count (
    backup_id   INTEGER NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    vhost       TEXT NOT NULL,
    queue       TEXT NOT NULL,
    type        TEXT,
    messages    INTEGER NOT NULL,
    PRIMARY KEY (backup_id, vhost, queue)
) WITHOUT ROWID;

-- The previous complete backup of the node whose manifest let unchanged files be reused,
-- and how much was actually read.
ALTER TABLE backup ADD COLUMN parent_id INTEGER;
ALTER TABLE backup ADD COLUMN bytes_read INTEGER;
ALTER TABLE backup ADD COLUMN files_reused INTEGER;

-- Every restore, with its outcome.
CREATE TABLE restore_run (
    id              INTEGER PRIMARY KEY,
    backup_id       INTEGER,                -- no cascade: history outlives the backup
    node            TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    outcome         TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'short', 'failed', 'refused')),
    detail          TEXT
);
