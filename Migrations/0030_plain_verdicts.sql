-- Issue 12 §3: a what-if verify (--target-version, --target-node, --exclude-queue,
-- --exclude-vhost, and the check a restore makes) used to overwrite backup.last_verdict.
-- From now on only plain checks set it; recompute it here from the plain runs that the
-- verification table already holds (NULL when a backup never had one), so that list, show,
-- the warren_last_verdict metric and prune's "newest viable" rule stop using what-if
-- verdicts recorded by earlier versions.

UPDATE backup SET
    last_verdict = (
        SELECT v.verdict FROM verification v
        WHERE v.backup_id = backup.id AND v.target_version IS NULL
          AND v.exclusions = '{"queues":[],"vhosts":[]}'
        ORDER BY v.verified_at DESC, v.id DESC LIMIT 1),
    last_verified_at = (
        SELECT v.verified_at FROM verification v
        WHERE v.backup_id = backup.id AND v.target_version IS NULL
          AND v.exclusions = '{"queues":[],"vhosts":[]}'
        ORDER BY v.verified_at DESC, v.id DESC LIMIT 1);
