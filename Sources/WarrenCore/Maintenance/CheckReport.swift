/// The result of `warren check`.
public struct CheckReport: Sendable, Codable, Equatable {
    public struct Schema: Sendable, Codable, Equatable {
        /// Migrations applied to the catalog, in order.
        public var applied: [String]
        /// Migrations this binary knows.
        public var known: [String]
        public var current: Bool
    }

    /// No error and no warning (info findings do not count).
    public var clean: Bool
    /// Whether this run held the lock and could repair (false with --dry-run, or never
    /// taken).
    public var repaired: Bool
    public var schema: Schema
    /// `PRAGMA integrity_check` output: `["ok"]` when the database is sound.
    public var integrity: [String]
    /// Distinct objects the catalog references, and object files found on disk.
    public var referencedObjects: Int
    public var storedObjects: Int
    public var findings: [CheckFinding]
    /// The repository's encryption (`aes-256-gcm` or `none`); nil when its config is
    /// unreadable (then a finding says why).
    public var encryption: RepositoryEncryption?

    init(repaired: Bool, schema: Schema, integrity: [String], referencedObjects: Int, storedObjects: Int, findings: [CheckFinding]) {
        self.repaired = repaired
        self.schema = schema
        self.integrity = integrity
        self.referencedObjects = referencedObjects
        self.storedObjects = storedObjects
        self.findings = findings.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
        clean = !findings.contains { $0.severity != .info }
    }
}
