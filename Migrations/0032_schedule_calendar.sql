-- Schedules at calendar times (`schedule add --at 'Mon..Fri 02:30'`) besides intervals, with
-- a random delay (`--jitter`), and the next run stored (issue 13).
--
-- `every_seconds` becomes optional (a schedule has an interval or a calendar time, not
-- both), so the table is rebuilt; schedule_run has no foreign key to it, ids are kept.
-- `next_run_at` NULL (schedules made before this migration): due per `every_seconds` since
-- the last run, or at once when never run, as before; set from then on at each run.
CREATE TABLE schedule_new (
    id              INTEGER PRIMARY KEY,
    node            TEXT NOT NULL,
    every_seconds   INTEGER CHECK (every_seconds IS NULL OR every_seconds >= 1),
    calendar        TEXT,
    jitter_seconds  INTEGER NOT NULL DEFAULT 0 CHECK (jitter_seconds >= 0),
    next_run_at     TEXT,
    stop_app        INTEGER NOT NULL DEFAULT 0,
    label           TEXT,
    pre_hook        TEXT,
    post_hook       TEXT,
    created_at      TEXT NOT NULL,
    last_run_at     TEXT,
    last_outcome    TEXT,                   -- 'succeeded' | 'failed'
    last_backup_id  INTEGER,
    last_verdict    TEXT,
    last_removed    INTEGER,
    last_error      TEXT,
    CHECK ((every_seconds IS NULL) <> (calendar IS NULL))
);
INSERT INTO schedule_new (id, node, every_seconds, stop_app, label, pre_hook, post_hook, created_at,
                          last_run_at, last_outcome, last_backup_id, last_verdict, last_removed, last_error)
    SELECT id, node, every_seconds, stop_app, label, pre_hook, post_hook, created_at,
           last_run_at, last_outcome, last_backup_id, last_verdict, last_removed, last_error FROM schedule;
DROP TABLE schedule;
ALTER TABLE schedule_new RENAME TO schedule;
