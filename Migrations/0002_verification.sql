-- Verify results: every run's verdict, and the latest one on the backup row for list/show.

CREATE TABLE verification (
    id              INTEGER PRIMARY KEY,
    backup_id       INTEGER NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    verified_at     TEXT NOT NULL,
    verdict         TEXT NOT NULL CHECK (verdict IN ('viable', 'viable_with_warnings', 'not_viable')),
    full            INTEGER NOT NULL,
    target_version  TEXT,
    exclusions      TEXT NOT NULL,          -- JSON {"queues": [...], "vhosts": [...]}
    error_count     INTEGER NOT NULL,
    warning_count   INTEGER NOT NULL,
    info_count      INTEGER NOT NULL
);
CREATE INDEX verification_by_backup ON verification (backup_id, verified_at);

ALTER TABLE backup ADD COLUMN last_verdict TEXT;
ALTER TABLE backup ADD COLUMN last_verified_at TEXT;
