-- Offline message accounting: what each stored queue's index says a restore brings back.

CREATE TABLE queue_count (
    store_queue_id      INTEGER PRIMARY KEY REFERENCES store_queue (id) ON DELETE CASCADE,
    backup_id           INTEGER NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    index_version       INTEGER,
    messages            INTEGER,            -- NULL when the index could not be read (see error)
    payload_bytes       INTEGER,
    embedded_in_index   INTEGER,
    in_shared_store     INTEGER,
    in_queue_store      INTEGER,
    dropped_at_recovery INTEGER,
    oldest_seq_id       INTEGER,
    newest_seq_id       INTEGER,
    qs_segments         TEXT,               -- JSON array of referenced N.qs segment numbers
    warnings            TEXT,               -- JSON array of tolerated damage
    error               TEXT                -- why the index could not be read, with file and offset
);
CREATE INDEX queue_count_by_backup ON queue_count (backup_id);

-- Totals over the backup's queues; NULL when some queue's index could not be read.
ALTER TABLE backup ADD COLUMN message_count INTEGER;
ALTER TABLE backup ADD COLUMN message_bytes INTEGER;
