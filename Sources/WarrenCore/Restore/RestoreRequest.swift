/// `warren restore ID --node NAME …`.
public struct RestoreRequest: Sendable {
    public var backupID: Int64
    public var node: String
    /// The target node directory; asked of the node when nil.
    public var dataDirectory: String?
    public var exclusions: Exclusions
    /// Print the plan and change nothing.
    public var dryRun: Bool
    /// Move a target vhost's existing message data aside (never deleted) instead of refusing.
    public var replaceVhostData: Bool
    public var rabbitmqctl: String

    public init(backupID: Int64, node: String, dataDirectory: String? = nil, exclusions: Exclusions = Exclusions(),
                dryRun: Bool = false, replaceVhostData: Bool = false, rabbitmqctl: String = "rabbitmqctl") {
        self.backupID = backupID
        self.node = node
        self.dataDirectory = dataDirectory
        self.exclusions = exclusions
        self.dryRun = dryRun
        self.replaceVhostData = replaceVhostData
        self.rabbitmqctl = rabbitmqctl
    }
}
