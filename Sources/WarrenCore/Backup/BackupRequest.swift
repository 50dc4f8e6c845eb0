/// `warren backup --node NAME …`: a backup taken by Warren from a running node.
public struct BackupRequest: Sendable {
    public var node: String
    /// The node directory; asked of the node (`rabbit_mnesia:dir()`) when nil.
    public var dataDirectory: String?
    /// Stop the broker app for a consistent copy (it is always started again).
    public var stopApp: Bool
    public var label: String?
    /// Shell commands run before and after (`/bin/sh -c`), with `WARREN_*` variables.
    public var preHook: String?
    public var postHook: String?
    /// Read every file even when the parent's manifest says it is unchanged.
    public var rehash: Bool
    /// rabbitmqctl to use (tests and unusual installs).
    public var rabbitmqctl: String
    /// Time-outs of the rabbitmqctl steps.
    public var brokerTimeouts: BrokerTimeouts = .defaults

    public init(node: String, dataDirectory: String? = nil, stopApp: Bool = false, label: String? = nil,
                preHook: String? = nil, postHook: String? = nil, rehash: Bool = false, rabbitmqctl: String = "rabbitmqctl") {
        self.node = node
        self.dataDirectory = dataDirectory
        self.stopApp = stopApp
        self.label = label
        self.preHook = preHook
        self.postHook = postHook
        self.rehash = rehash
        self.rabbitmqctl = rabbitmqctl
    }
}
