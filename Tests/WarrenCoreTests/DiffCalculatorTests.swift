import Foundation
import Testing
@testable import WarrenCore

/// Direct tests of `warren diff`'s computation (issue 12 §4): two registered backups that
/// differ in every section, and one compared with itself.
@Suite struct DiffCalculatorTests {
    static func definitions(queues: String, exchanges: String, bindings: String, policies: String, vhosts: String) -> String {
        """
        {"rabbit_version": "3.10.8", "rabbitmq_version": "3.10.8", "users": [], "permissions": [], "topic_permissions": [],
         "parameters": [], "global_parameters": [], "vhosts": [\(vhosts)], "queues": [\(queues)],
         "exchanges": [\(exchanges)], "bindings": [\(bindings)], "policies": [\(policies)]}
        """
    }

    static func queue(_ vhost: String, _ name: String, type: String = "classic", arguments: String = "{}") -> String {
        #"{"name": "\#(name)", "vhost": "\#(vhost)", "durable": true, "auto_delete": false, "arguments": \#(arguments), "type": "\#(type)"}"#
    }

    @Test func reportsWhatChangedInEverySection() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let tree = try BackupTree(at: dir.file("backup"))
        try tree.vhost("/")
        try tree.queue(vhost: "/", name: "orders")
        try tree.queue(vhost: "/", name: "old")
        try tree.definitions(Self.definitions(
            queues: [Self.queue("/", "orders"), Self.queue("/", "old"), Self.queue("/", "jobs", arguments: #"{"x-max-length": 10}"#)].joined(separator: ","),
            exchanges: #"{"name": "ex", "vhost": "/", "type": "topic", "durable": true, "auto_delete": false, "internal": false, "arguments": {}}"#,
            bindings: #"{"source": "ex", "vhost": "/", "destination": "orders", "destination_type": "queue", "routing_key": "a.#", "arguments": {}}"#,
            policies: #"{"vhost": "/", "name": "p", "pattern": "^o", "apply-to": "queues", "definition": {"max-length": 5}, "priority": 0}"#,
            vhosts: #"{"name": "/"}"#))
        let registrar = Registrar(repository: repo)
        let a = try registrar.register(RegisterRequest(directory: tree.root, node: "n"))

        // B: "old" gone (definition and data), "new" added, "jobs" changed (type and
        // arguments), the exchange changed, the binding's key changed, the policy removed,
        // vhost "shop" added, and the orders queue has one file more.
        try FileManager.default.removeItem(atPath: tree.msgStores + "/vhosts/\(RabbitDirectoryName.vhost("/"))/queues/\(RabbitDirectoryName.queue(vhost: "/", queue: "old"))")
        try tree.queue(vhost: "/", name: "new")
        let ordersDir = tree.msgStores + "/vhosts/\(RabbitDirectoryName.vhost("/"))/queues/\(RabbitDirectoryName.queue(vhost: "/", queue: "orders"))"
        try tree.write(ordersDir + "/1.idx", [])
        try tree.definitions(Self.definitions(
            queues: [Self.queue("/", "orders"), Self.queue("/", "new"), Self.queue("/", "jobs", type: "quorum", arguments: #"{"x-max-length": 20}"#)].joined(separator: ","),
            exchanges: #"{"name": "ex", "vhost": "/", "type": "fanout", "durable": true, "auto_delete": false, "internal": false, "arguments": {}}"#,
            bindings: #"{"source": "ex", "vhost": "/", "destination": "orders", "destination_type": "queue", "routing_key": "b.#", "arguments": {}}"#,
            policies: "",
            vhosts: #"{"name": "/"}, {"name": "shop"}"#))
        let b = try registrar.register(RegisterRequest(directory: tree.root, node: "n"))

        let diff = try DiffCalculator(catalog: repo.catalog).diff(from: a, to: b)
        #expect(diff.from == a && diff.to == b)
        #expect(diff.definitionsChanged && diff.fromDefinitionsSha256 != diff.toDefinitionsSha256)
        #expect(diff.vhosts.added.map(\.name) == ["shop"] && diff.vhosts.removed.isEmpty && diff.vhosts.changed.isEmpty)
        #expect(diff.queues.added == [.init(vhost: "/", name: "new", type: "classic")])
        #expect(diff.queues.removed == [.init(vhost: "/", name: "old", type: "classic")])
        let jobs = try #require(diff.queues.changed.first)
        #expect(diff.queues.changed.count == 1 && jobs.name == "jobs" && jobs.vhost == "/")
        #expect(jobs.changes == [.init(field: "type", from: "classic", to: "quorum"),
                                 .init(field: "arguments", from: #"{"x-max-length":10}"#, to: #"{"x-max-length":20}"#)])
        #expect(diff.exchanges.changed == [.init(vhost: "/", name: "ex", changes: [.init(field: "type", from: "topic", to: "fanout")])])
        #expect(diff.bindings.added.map(\.name) == ["ex -> queue orders [b.#] {}"])
        #expect(diff.bindings.removed.map(\.name) == ["ex -> queue orders [a.#] {}"])
        #expect(diff.policies.removed.map(\.name) == ["p"] && diff.policies.added.isEmpty)

        let stored = Dictionary(uniqueKeysWithValues: diff.storedQueues.map { ($0.name ?? "?", $0) })
        #expect(Set(stored.keys) == ["orders", "old", "new"])
        #expect(stored["old"]?.status == "removed" && stored["old"]?.filesAfter == 0 && stored["old"]?.messagesBefore == 3)
        #expect(stored["new"]?.status == "added" && stored["new"]?.filesBefore == 0 && stored["new"]?.messagesAfter == 3)
        #expect(stored["orders"]?.status == "changed")
        #expect(stored["orders"].map { $0.filesAfter == $0.filesBefore + 1 && $0.bytesAfter == $0.bytesBefore } == true)
    }

    @Test func aBackupComparedWithItselfHasNoChanges() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let tree = try BackupTree.standard(at: dir.file("backup"))
        let id = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "n"))
        let diff = try DiffCalculator(catalog: repo.catalog).diff(from: id, to: id)
        #expect(!diff.definitionsChanged)
        #expect([diff.vhosts, diff.queues, diff.exchanges, diff.bindings, diff.policies].allSatisfy { $0.isEmpty })
        #expect(diff.storedQueues.count == 2 && diff.storedQueues.allSatisfy { $0.status == "unchanged" })
        #expect(throws: WarrenError.backupNotFound(id: 999)) { try DiffCalculator(catalog: repo.catalog).diff(from: id, to: 999) }
    }
}
