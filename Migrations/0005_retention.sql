-- Retention: pins, stored policies, and the queue of objects being deleted.

-- A pinned backup is never pruned.
ALTER TABLE backup ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE backup ADD COLUMN pin_note TEXT;
ALTER TABLE backup ADD COLUMN pinned_at TEXT;

-- Stored policies, used by `warren prune` when no keep flag is given. node = '' is the
-- default for nodes without their own (node names are never empty).
CREATE TABLE retention_policy (
    node            TEXT PRIMARY KEY,
    keep_last       INTEGER CHECK (keep_last IS NULL OR keep_last >= 1),
    keep_hourly     INTEGER CHECK (keep_hourly IS NULL OR keep_hourly >= 1),
    keep_daily      INTEGER CHECK (keep_daily IS NULL OR keep_daily >= 1),
    keep_weekly     INTEGER CHECK (keep_weekly IS NULL OR keep_weekly >= 1),
    keep_monthly    INTEGER CHECK (keep_monthly IS NULL OR keep_monthly >= 1),
    keep_yearly     INTEGER CHECK (keep_yearly IS NULL OR keep_yearly >= 1),
    keep_within     TEXT,                   -- e.g. '14d', '1y6m'
    updated_at      TEXT NOT NULL
) WITHOUT ROWID;

-- Objects that no backup references any more and whose files are being deleted. Rows are
-- added in the transaction that removes the last reference (and the `object` row), and
-- removed once the file is gone, so a crash in between leaves a to-do list, never a
-- dangling reference.
CREATE TABLE object_deletion (
    sha256      BLOB PRIMARY KEY CHECK (length(sha256) = 32),
    size        INTEGER,
    queued_at   TEXT NOT NULL
) WITHOUT ROWID;

-- "Does any backup still use this definitions object?" during deletion and gc.
CREATE INDEX backup_by_definitions ON backup (definitions_sha256);
