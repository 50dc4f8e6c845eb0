import Foundation

/// A throwaway RabbitMQ node started by `Tools/rabbitmq-node`, on its own name, ports and
/// directories. Use ``with(_:_:)`` so the node is stopped even when the test fails.
/// A node that cannot start fails the test: real-broker tests are never skipped.
final class RabbitNode {
    /// Which broker runs the node: the host's package, or RabbitMQ 4.0.5 in the chroot that
    /// Tools/setup builds (Tools/rabbitmq-chroot).
    enum Version: String {
        case v3_10 = "3.10"
        case v4_0 = "4.0"
    }

    let shortName: String
    let version: Version
    /// The exact broker version the tool reports (e.g. `4.0.5-6+deb13u2` for the chroot).
    let versionText: String
    /// The rabbitmqctl that speaks for this node's own version (a chroot wrapper for 4.0).
    let rabbitmqctl: String
    let nodeName: String
    let port: Int
    /// The node directory (holds `msg_stores/`).
    let directory: String

    static let tool = Command.packageRoot + "/Tools/rabbitmq-node"
    static let amqpTool = Command.packageRoot + "/Tools/amqp"

    private init(shortName: String, version: Version) throws {
        let output = try Command.check(Self.tool, ["start", shortName, "--version", version.rawValue])
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        guard let node = values["NODE"], let port = values["PORT"].flatMap(Int.init), let dir = values["DIR"] else {
            throw CommandFailure(command: "rabbitmq-node start \(shortName)", result: .init(status: 0, stdout: output, stderr: "unexpected output"))
        }
        self.shortName = shortName
        self.version = version
        versionText = values["VERSION"] ?? version.rawValue
        rabbitmqctl = values["RABBITMQCTL"] ?? "rabbitmqctl"
        nodeName = node
        self.port = port
        directory = dir
    }

    /// Starts a node named `prefix-<pid>`, runs `body`, and always stops the node.
    /// A 4.0 node that cannot start fails the test like a 3.10 one: never skipped.
    static func with<T>(_ prefix: String, version: Version = .v3_10, _ body: (RabbitNode) throws -> T) throws -> T {
        let name = "\(prefix)-\(getpid())"
        _ = try? Command.run(tool, ["stop", name])
        let node = try RabbitNode(shortName: name, version: version)
        defer { node.stop() }
        return try body(node)
    }

    func stop() {
        _ = try? Command.run(Self.tool, ["stop", shortName])
    }

    @discardableResult
    func ctl(_ arguments: [String]) throws -> String {
        try Command.check(Self.tool, ["ctl", shortName] + arguments)
    }

    /// `rabbitmqctl … --formatter json` parsed.
    func ctlJSON(_ arguments: [String]) throws -> [[String: Any]] {
        let output = try ctl(arguments + ["--formatter", "json", "--quiet"])
        guard let start = output.firstIndex(of: "[") else { return [] }
        let parsed = try JSONSerialization.jsonObject(with: Data(output[start...].utf8))
        return parsed as? [[String: Any]] ?? []
    }

    @discardableResult
    func amqp(_ arguments: [String]) throws -> String {
        try Command.check(Self.amqpTool, ["--port", String(port)] + arguments)
    }

    func addVhost(_ name: String) throws {
        if name != "/" { try ctl(["add_vhost", name]) }
        try ctl(["set_permissions", "-p", name, "guest", ".*", ".*", ".*"])
    }

    /// name → messages, as the broker reports them for one vhost.
    func messageCounts(vhost: String) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try ctlJSON(["list_queues", "-p", vhost, "name", "messages"]) {
            if let name = row["name"] as? String { counts[name] = (row["messages"] as? Int) ?? 0 }
        }
        return counts
    }

    /// The documented manual restore: import definitions first, stop_app, copy msg_stores
    /// (owned by the broker's user), start_app.
    func manualRestore(from backup: String, definitions: String? = nil) throws {
        try ctl(["import_definitions", definitions ?? backup + "/definitions.json"])
        try ctl(["stop_app"])
        try Command.check("/bin/sh", ["-c", "cp -a '\(backup)/msg_stores/.' '\(self.directory)/msg_stores/' && chown -R rabbitmq:rabbitmq '\(self.directory)/msg_stores'"])
        try ctl(["start_app"])
        try ctl(["await_startup"])
    }

    /// The documented manual backup: export definitions, stop_app, copy msg_stores, start_app.
    func manualBackup(into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // To stdout: rabbitmqctl runs as the rabbitmq user, which cannot write everywhere.
        let definitions = try ctl(["export_definitions", "-", "--quiet"])
        try Data(definitions.utf8).write(to: URL(fileURLWithPath: directory + "/definitions.json"))
        try ctl(["stop_app"])
        defer { _ = try? ctl(["start_app"]) }
        try Command.check("/bin/cp", ["-a", self.directory + "/msg_stores", directory + "/"])
    }
}
