/// Everything a restore will do, computed before it changes anything (and all that
/// `--dry-run` does).
public struct RestorePlan: Sendable, Codable {
    public struct Queue: Sendable, Codable {
        public var vhost: String?
        public var name: String?
        public var files: Int
        public var bytes: Int64
        /// The count the post-check expects, and where it comes from (`broker`: counted by
        /// the broker at backup time; `index`: read from the stored index files).
        public var expectedMessages: Int?
        public var expectedSource: String?
        /// A priority queue's level (its own directory); nil for a plain queue.
        public var priority: Int?

        /// Every key, null when unset (one rule for every answer, CLI and API alike).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(vhost, forKey: .vhost)
            try c.encode(name, forKey: .name)
            try c.encode(files, forKey: .files)
            try c.encode(bytes, forKey: .bytes)
            try c.encode(expectedMessages, forKey: .expectedMessages)
            try c.encode(expectedSource, forKey: .expectedSource)
            try c.encode(priority, forKey: .priority)
        }
    }

    public struct VHost: Sendable, Codable {
        public var name: String?
        public var dirName: String
        public var files: Int
        public var bytes: Int64
        public var queues: [Queue]
        /// `absent`, `empty` or `holds_messages` on the target.
        public var targetState: String
        public var targetMessages: Int
        /// True when queues of this vhost are excluded: recovery and clean-stop files are then
        /// left out so that the broker rescans the restored data instead of trusting them.
        public var cleanStopFilesDropped: Bool
    }

    public struct Excluded: Sendable, Codable {
        public var vhost: String?
        public var name: String?
        public var files: Int
        public var bytes: Int64
        public var reason: String
    }

    public struct DefinitionsSummary: Sendable, Codable {
        public var vhosts: Int
        public var queues: Int
        public var exchanges: Int
        public var bindings: Int
        public var policies: Int
        public var users: Int
    }

    public var backup: Int64
    public var node: String
    public var targetVersion: String
    public var nodeDirectory: String
    public var verdict: Verdict
    public var findings: [Finding]
    public var definitions: DefinitionsSummary
    public var vhosts: [VHost]
    public var excluded: [Excluded]
    public var files: Int
    public var bytes: Int64
    /// Where existing target data is moved (only with --replace-vhost-data).
    public var asideDirectory: String?
    /// Vhosts whose target store holds messages (a restore refuses unless replacing).
    public var occupiedVhosts: [String]
    /// Set when the target node's name differs from the backup's (nil when equal).
    public var nodeNameChange: NodeNameChange? = nil

    /// Every key, null when unset (one rule for every answer, CLI and API alike).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(backup, forKey: .backup)
        try c.encode(node, forKey: .node)
        try c.encode(targetVersion, forKey: .targetVersion)
        try c.encode(nodeDirectory, forKey: .nodeDirectory)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(findings, forKey: .findings)
        try c.encode(definitions, forKey: .definitions)
        try c.encode(vhosts, forKey: .vhosts)
        try c.encode(excluded, forKey: .excluded)
        try c.encode(files, forKey: .files)
        try c.encode(bytes, forKey: .bytes)
        try c.encode(asideDirectory, forKey: .asideDirectory)
        try c.encode(occupiedVhosts, forKey: .occupiedVhosts)
        try c.encode(nodeNameChange, forKey: .nodeNameChange)
    }
}
