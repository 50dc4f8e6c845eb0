import Foundation

/// Talks to a running node through `rabbitmqctl -n NODE` (no plugin needed). Every failure
/// is a ``WarrenError/broker(node:step:detail:output:)`` naming the step, in one line.
public struct BrokerControl: Sendable {
    /// One queue as the broker lists it.
    public struct QueueInfo: Sendable, Equatable {
        public var vhost: String
        public var name: String
        public var type: String
        public var messages: Int
    }

    public var node: String
    public var rabbitmqctl: String
    /// Every step is ended after its time-out (see ``BrokerTimeouts``).
    public var timeouts: BrokerTimeouts
    /// Where `rabbitmqctl`'s output is captured: the repository's private `tmp/` for backups
    /// and restores (the exported definitions hold password hashes), else the system's.
    public var captureDirectory: String?

    public init(node: String, rabbitmqctl: String = "rabbitmqctl", timeouts: BrokerTimeouts = .defaults,
                captureDirectory: String? = nil) {
        self.node = node
        self.rabbitmqctl = rabbitmqctl
        self.timeouts = timeouts
        self.captureDirectory = captureDirectory
    }

    /// Runs `rabbitmqctl -n NODE ARGS…`; a non-zero exit is an error naming the step, and so
    /// is a step still running after `timeout` seconds (it is ended). An interruptible step
    /// is also ended by SIGINT/SIGTERM (``WarrenError/interrupted(detail:)``); `start_app` is not.
    @discardableResult
    public func run(_ arguments: [String], step: String, stdinPath: String? = nil, timeout: Double? = nil,
                    interruptible: Bool = true) throws -> String {
        let limit = timeout ?? timeouts.query
        let result: Subprocess.Result
        do {
            result = try Subprocess.run(rabbitmqctl, ["-n", node] + arguments, stdinPath: stdinPath, timeout: limit, interruptible: interruptible,
                                        captureDirectory: captureDirectory)
        } catch let stopped as Subprocess.Stopped {
            switch stopped {
            case let .timedOut(seconds):
                throw WarrenError.brokerTimeout(node: node, step: step, seconds: seconds, detail: "")
            case let .interrupted(signal):
                throw WarrenError.interrupted(detail: "signal \(signal) received while waiting to \(step); that step was ended")
            }
        }
        guard result.status == 0 else {
            // One line in the message; the whole text (without ANSI escapes) for --verbose and the log.
            let output = RabbitmqctlOutput.strippingANSI(result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
            throw WarrenError.broker(node: node, step: step, detail: RabbitmqctlOutput.detail(
                node: node, output: output, status: result.status, rabbitmqctl: rabbitmqctl), output: output)
        }
        return result.stdout
    }

    /// The broker's RabbitMQ version, asked of the running node.
    public func version() throws -> String {
        let text = try evalString("rabbit_misc:version().", step: "ask the node for its version")
        guard BrokerVersion(text) != nil else {
            throw WarrenError.broker(node: node, step: "ask the node for its version", detail: "unexpected answer: \(text)")
        }
        return text
    }

    /// The node directory (`rabbit_mnesia:dir()`), which holds `msg_stores/`.
    public func dataDirectory() throws -> String {
        let dir = try evalString("rabbit_mnesia:dir().", step: "find the node directory")
        guard dir.hasPrefix("/") else {
            throw WarrenError.broker(node: node, step: "find the node directory", detail: "unexpected answer: \(dir)")
        }
        return dir
    }

    public func exportDefinitions() throws -> [UInt8] {
        Array(try run(["export_definitions", "-", "--quiet"], step: "export definitions").utf8)
    }

    /// Imports from a file this process can read (rabbitmqctl itself may run as another
    /// user, so the file is handed over as stdin). The broker applies it asynchronously.
    public func importDefinitions(from path: String) throws {
        try run(["import_definitions"], step: "import definitions", stdinPath: path, timeout: timeouts.importDefinitions)
    }

    public func vhosts() throws -> [String] {
        try listJSON(["list_vhosts", "name"], step: "list vhosts").compactMap { $0["name"] as? String }
    }

    public func queues(vhost: String) throws -> [QueueInfo] {
        try listJSON(["list_queues", "-p", vhost, "name", "type", "messages"], step: "list queues of vhost '\(vhost)'").compactMap {
            guard let name = $0["name"] as? String else { return nil }
            return QueueInfo(vhost: vhost, name: name, type: ($0["type"] as? String) ?? "classic", messages: ($0["messages"] as? Int) ?? 0)
        }
    }

    /// Not interruptible: a half-done stop is followed by a start in every caller.
    public func stopApp() throws {
        try run(["stop_app"], step: "stop the broker app (stop_app)", timeout: timeouts.stopApp, interruptible: false)
    }

    /// Not interruptible: after a stop the app must come back, also on Ctrl-C.
    public func startApp() throws {
        let seconds = timeouts.startApp
        try run(["start_app"], step: "start the broker app (start_app)", timeout: seconds, interruptible: false)
        try run(["await_startup", "--timeout", String(Int(max(1, seconds)))], step: "wait for the broker to start (await_startup)",
                timeout: seconds + 5, interruptible: false)
    }

    private func evalString(_ expression: String, step: String) throws -> String {
        try run(["eval", expression], step: step).trimmingCharacters(in: .whitespacesAndNewlines)
            .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    func listJSON(_ arguments: [String], step: String) throws -> [[String: Any]] {
        let output = try run(arguments + ["--formatter", "json", "--quiet"], step: step)
        guard let start = output.firstIndex(of: "[") else { return [] }
        do {
            return try JSONSerialization.jsonObject(with: Data(output[start...].utf8)) as? [[String: Any]] ?? []
        } catch {
            throw WarrenError.broker(node: node, step: step, detail: "unreadable answer: \(output.prefix(200))")
        }
    }
}
