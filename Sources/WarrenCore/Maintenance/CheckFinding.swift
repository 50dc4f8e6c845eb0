/// One thing `warren check` found. Codes are stable:
///
/// | code | severity | meaning |
/// |---|---|---|
/// | `object_missing` | error | a backup references an object that is not in `objects/` |
/// | `object_size_mismatch` | error | an object's file is not the size recorded for it |
/// | `integrity_error` | error | SQLite `integrity_check` / `foreign_key_check` reported a problem |
/// | `schema_mismatch` | error | applied migrations differ from the ones this binary knows |
/// | `backup_interrupted` | warning | a backup left `in_progress` by a writer that is gone (marked failed unless --dry-run) |
/// | `objects_unreferenced` | warning | object files no backup references (`warren gc` removes them) |
/// | `deletion_interrupted` | warning | object deletions queued by an interrupted prune or gc |
/// | `object_rows_inconsistent` | warning | `object` rows missing for stored objects, or left for deleted ones |
/// | `stale_temporaries` | warning | files in `tmp/` left by crashed writers |
/// | `unexpected_files` | warning | files under `objects/` that are not objects (never deleted by Warren) |
/// | `pack_unindexed` | warning | packs in a bucket that no index names (a writer killed between a pack and its index; `gc` deletes them after its safety window) |
/// | `restore_interrupted` | error | a restore's journal was left by a process that died: a vhost may be half-written (`restore --resume` / `--rollback`) |
/// | `restore_run_interrupted` | warning | a `restore_run` row left `running` by a process that is gone (marked failed unless --dry-run) |
/// | `restore_in_progress` | info | a restore running right now |
/// | `repository_world_readable` | warning | files or directories other users may read (repair: `chmod o-rwx`) |
/// | `backup_in_progress` | info | a backup being written right now (a live writer holds the lock) |
public struct CheckFinding: Sendable, Codable, Equatable {
    public enum Severity: String, Sendable, Codable, Comparable {
        case error, warning, info

        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var code: String
    public var severity: Severity
    public var message: String
    /// How to fix it; nil when nothing needs doing.
    public var fix: String?
    /// True when this run already repaired it.
    public var fixed: Bool
    public var backup: Int64?
    /// Object SHA-256 (hex), for findings about one object.
    public var object: String?
    /// How many objects or files, and their bytes, for aggregate findings.
    public var count: Int?
    public var bytes: Int64?

    init(_ code: String, _ severity: Severity, _ message: String, fix: String? = nil, fixed: Bool = false,
         backup: Int64? = nil, object: String? = nil, count: Int? = nil, bytes: Int64? = nil) {
        self.code = code
        self.severity = severity
        self.message = message
        self.fix = fix
        self.fixed = fixed
        self.backup = backup
        self.object = object
        self.count = count
        self.bytes = bytes
    }

    private enum CodingKeys: String, CodingKey { case code, severity, message, fix, fixed, backup, object, count, bytes }

    /// Every key is present in JSON, `null` when it does not apply.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(severity, forKey: .severity)
        try c.encode(message, forKey: .message)
        try c.encode(fix, forKey: .fix)
        try c.encode(fixed, forKey: .fixed)
        try c.encode(backup, forKey: .backup)
        try c.encode(object, forKey: .object)
        try c.encode(count, forKey: .count)
        try c.encode(bytes, forKey: .bytes)
    }
}
