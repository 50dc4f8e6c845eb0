#!/usr/bin/env python3
"""Compares two Warren catalogs on their complete backups: the live one (after `warren
check` repaired it) and one rebuilt from the repository alone. Row ids that only number
rows (store_vhost.id, store_queue.id) are replaced by the directory names they stand for;
catalog-only state (pins, verdicts, failures) is left out. Exit 1 with the first
difference."""
import sqlite3, sys

CATALOG_ONLY = {"last_verdict", "last_verified_at", "pinned", "pin_note", "pinned_at", "failure"}

def snapshot(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    out = {}
    cols = [c[1] for c in db.execute("PRAGMA table_info(backup)") if c[1] not in CATALOG_ONLY]
    out["backup"] = sorted(db.execute(f"SELECT {','.join(cols)} FROM backup WHERE state = 'complete'"))
    done = "(SELECT id FROM backup WHERE state = 'complete')"
    for table in ["def_vhost", "def_queue", "def_exchange", "def_binding", "def_policy", "expected_count"]:
        out[table] = sorted(db.execute(f"SELECT * FROM {table} WHERE backup_id IN {done}"))
    out["store_vhost"] = sorted(db.execute(
        f"SELECT backup_id, dir_name, vhost, dir_matches_name, segment_entry_count FROM store_vhost WHERE backup_id IN {done}"))
    out["store_queue"] = sorted(db.execute(f"""
        SELECT q.backup_id, v.dir_name, q.dir_name, q.vhost, q.name, q.index_version, q.dir_matches_name, q.file_count, q.bytes, q.priority
        FROM store_queue q JOIN store_vhost v ON v.id = q.store_vhost_id WHERE q.backup_id IN {done}"""))
    out["queue_count"] = sorted(db.execute(f"""
        SELECT c.backup_id, v.dir_name, q.dir_name, c.index_version, c.messages, c.payload_bytes, c.embedded_in_index,
               c.in_shared_store, c.in_queue_store, c.dropped_at_recovery, c.oldest_seq_id, c.newest_seq_id,
               c.qs_segments, c.warnings, c.error
        FROM queue_count c JOIN store_queue q ON q.id = c.store_queue_id JOIN store_vhost v ON v.id = q.store_vhost_id
        WHERE c.backup_id IN {done}"""))
    out["manifest_file"] = sorted(db.execute(f"""
        SELECT m.backup_id, m.path, m.size, m.sha256, m.kind, v.dir_name, q.dir_name, m.mtime_ns, m.ctime_ns, m.inode
        FROM manifest_file m LEFT JOIN store_vhost v ON v.id = m.store_vhost_id LEFT JOIN store_queue q ON q.id = m.store_queue_id
        WHERE m.backup_id IN {done}"""), key=repr)
    return out

live, rebuilt, what = sys.argv[1], sys.argv[2], sys.argv[3]
a, b = snapshot(live), snapshot(rebuilt)
ids_a = {r[0] for r in a["backup"]}
ids_b = {r[0] for r in b["backup"]}
if ids_a != ids_b:
    print(f"{what}: complete backups differ: live only {sorted(ids_a - ids_b)}, rebuilt only {sorted(ids_b - ids_a)}", file=sys.stderr)
    sys.exit(1)
for table in a:
    if a[table] != b[table]:
        diff = [r for r in a[table] if r not in b[table]][:1] or [r for r in b[table] if r not in a[table]][:1]
        print(f"{what}: table {table} differs, e.g. {diff}", file=sys.stderr)
        sys.exit(1)
print(f"{what}: {len(ids_a)} complete backups agree")
