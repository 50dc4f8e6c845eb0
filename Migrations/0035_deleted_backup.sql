-- Issue 13: `verify`/`show` of a deleted id says when and by what it went
-- ("backup 7 was pruned on …"), instead of "no backup with id 7".
-- One row per backup that prune or forget deleted, written in the deletion's transaction.
-- Not in the repository: a `catalog rebuild` starts this record empty.
CREATE TABLE deleted_backup (
    id          INTEGER PRIMARY KEY,     -- the backup's id (AUTOINCREMENT: never reused)
    node        TEXT NOT NULL,
    taken_at    TEXT NOT NULL,
    deleted_at  TEXT NOT NULL,           -- ISO-8601 UTC
    deleted_by  TEXT NOT NULL CHECK (deleted_by IN ('prune', 'forget'))
);
