import Foundation

/// Talks to a running node through `rabbitmqctl -n NODE` (no plugin needed). Every failure
/// is a ``WarrenError/broker(node:step:detail:)`` naming the step.
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

    public init(node: String, rabbitmqctl: String = "rabbitmqctl") {
        self.node = node
        self.rabbitmqctl = rabbitmqctl
    }

    /// Runs `rabbitmqctl -n NODE ARGS…`; a non-zero exit is an error naming the step.
    @discardableResult
    public func run(_ arguments: [String], step: String, stdinPath: String? = nil) throws -> String {
        let result = try Subprocess.run(rabbitmqctl, ["-n", node] + arguments, stdinPath: stdinPath)
        guard result.status == 0 else {
            let detail = (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
            if let down = NodeDownDetection.detail(node: node, output: detail) {
                throw WarrenError.broker(node: node, step: step, detail: down)
            }
            throw WarrenError.broker(node: node, step: step, detail: detail.isEmpty ? "exit status \(result.status)" : detail)
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
        try run(["import_definitions"], step: "import definitions", stdinPath: path)
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

    public func stopApp() throws { try run(["stop_app"], step: "stop the broker app (stop_app)") }

    public func startApp() throws {
        try run(["start_app"], step: "start the broker app (start_app)")
        try run(["await_startup", "--timeout", "300"], step: "wait for the broker to start (await_startup)")
    }

    private func evalString(_ expression: String, step: String) throws -> String {
        try run(["eval", expression], step: step).trimmingCharacters(in: .whitespacesAndNewlines)
            .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    private func listJSON(_ arguments: [String], step: String) throws -> [[String: Any]] {
        let output = try run(arguments + ["--formatter", "json", "--quiet"], step: step)
        guard let start = output.firstIndex(of: "[") else { return [] }
        do {
            return try JSONSerialization.jsonObject(with: Data(output[start...].utf8)) as? [[String: Any]] ?? []
        } catch {
            throw WarrenError.broker(node: node, step: step, detail: "unreadable answer: \(output.prefix(200))")
        }
    }
}
