import Foundation

/// Talks to a running node through `rabbitmqctl -n NODE` (no plugin needed).
public struct BrokerControl: Sendable {
    public var node: String
    public var rabbitmqctl: String

    public init(node: String, rabbitmqctl: String = "rabbitmqctl") {
        self.node = node
        self.rabbitmqctl = rabbitmqctl
    }

    /// Runs `rabbitmqctl -n NODE ARGS…`; a non-zero exit is an error naming the step.
    @discardableResult
    public func run(_ arguments: [String], step: String) throws -> String {
        let result = try Subprocess.run(rabbitmqctl, ["-n", node] + arguments)
        guard result.status == 0 else {
            let detail = (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
            throw WarrenError.broker(node: node, step: step, detail: detail.isEmpty ? "exit status \(result.status)" : detail)
        }
        return result.stdout
    }

    /// The broker's RabbitMQ version, asked of the running node.
    public func version() throws -> String {
        let output = try run(["eval", "rabbit_misc:version()."], step: "ask the node for its version")
        let version = output.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard BrokerVersion(version) != nil else {
            throw WarrenError.broker(node: node, step: "ask the node for its version", detail: "unexpected answer: \(output)")
        }
        return version
    }
}
