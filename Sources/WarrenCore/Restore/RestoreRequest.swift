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
    /// Where moved-aside data goes (default `REPO/aside`): outside the node directory, on its file system.
    public var asideBase: String?
    /// Time-outs of the rabbitmqctl steps.
    public var brokerTimeouts: BrokerTimeouts = .defaults
    /// Finish the interrupted restore recorded in the node's journal (see ``RestoreRecovery``).
    public var resume = false

    public init(backupID: Int64, node: String, dataDirectory: String? = nil, exclusions: Exclusions = Exclusions(),
                dryRun: Bool = false, replaceVhostData: Bool = false, rabbitmqctl: String = "rabbitmqctl",
                asideBase: String? = nil, brokerTimeouts: BrokerTimeouts = .defaults) {
        self.backupID = backupID
        self.node = node
        self.dataDirectory = dataDirectory
        self.exclusions = exclusions
        self.dryRun = dryRun
        self.replaceVhostData = replaceVhostData
        self.rabbitmqctl = rabbitmqctl
        self.asideBase = asideBase
        self.brokerTimeouts = brokerTimeouts
    }
}
