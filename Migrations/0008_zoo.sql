-- Issue 16: everything a real node holds.

-- §1 A priority queue (x-max-priority) keeps one directory per level; its .queue_name says
-- "QUEUE: <name>\0<level byte>". `name` holds the queue's name, `priority` the level.
ALTER TABLE store_queue ADD COLUMN priority INTEGER;     -- NULL: not a priority level directory

-- §2 What the broker held just before `backup --stop-app` stopped it: what stopping drops
-- (transient messages, non-durable, exclusive and auto-delete queues, non-durable exchanges)
-- and the internal exchanges that export_definitions leaves out (§3).
ALTER TABLE backup ADD COLUMN broker_surveyed_at TEXT;   -- NULL: no survey (registered or older)

CREATE TABLE broker_queue (
    backup_id           INTEGER NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    vhost               TEXT NOT NULL,
    name                TEXT NOT NULL,
    type                TEXT,
    durable             INTEGER NOT NULL,
    exclusive           INTEGER NOT NULL,
    auto_delete         INTEGER NOT NULL,
    messages            INTEGER NOT NULL,
    messages_persistent INTEGER NOT NULL,
    PRIMARY KEY (backup_id, vhost, name)
) WITHOUT ROWID;

CREATE TABLE broker_exchange (
    backup_id   INTEGER NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    vhost       TEXT NOT NULL,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    durable     INTEGER NOT NULL,
    internal    INTEGER NOT NULL,
    PRIMARY KEY (backup_id, vhost, name)
) WITHOUT ROWID;
