/// How long each kind of `rabbitmqctl` step may take before it is ended and reported as
/// ``WarrenError/brokerTimeout(node:step:seconds:detail:)``. The CLI's `--broker-timeout`
/// sets one value for every step; otherwise each kind has its own default.
public struct BrokerTimeouts: Sendable, Equatable {
    /// Questions to a running node: version, vhosts, queues, export, data directory.
    public var query: Double
    /// `import_definitions`, which may create many vhosts and queues.
    public var importDefinitions: Double
    /// `stop_app`, which flushes every queue to disk.
    public var stopApp: Double
    /// `start_app` and `await_startup`, which recover every queue (slow on big nodes).
    public var startApp: Double

    public static let defaults = BrokerTimeouts(query: 120, importDefinitions: 600, stopApp: 600, startApp: 900)

    public init(query: Double, importDefinitions: Double, stopApp: Double, startApp: Double) {
        self.query = query
        self.importDefinitions = importDefinitions
        self.stopApp = stopApp
        self.startApp = startApp
    }

    /// The same limit for every step.
    public init(all seconds: Double) {
        self.init(query: seconds, importDefinitions: seconds, stopApp: seconds, startApp: seconds)
    }
}
