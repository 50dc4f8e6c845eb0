-- The service (`warren serve`): scheduled backups and the outcome of each run.

-- A schedule: back the node up every `every_seconds`, then verify the new backup, then
-- apply the retention policy (automated pruning). The last run's outcome is kept here, the
-- history in schedule_run.
CREATE TABLE schedule (
    id              INTEGER PRIMARY KEY,
    node            TEXT NOT NULL,
    every_seconds   INTEGER NOT NULL CHECK (every_seconds >= 1),
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
    last_error      TEXT
);

CREATE TABLE schedule_run (
    id              INTEGER PRIMARY KEY,
    schedule_id     INTEGER NOT NULL,
    started_at      TEXT NOT NULL,
    finished_at     TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    backup_id       INTEGER,
    verdict         TEXT,
    removed         INTEGER,
    error           TEXT
);
CREATE INDEX schedule_run_by_schedule ON schedule_run (schedule_id, started_at);
