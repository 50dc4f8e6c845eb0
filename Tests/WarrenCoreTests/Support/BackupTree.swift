import Foundation
@testable import WarrenCore

/// Builds a backup directory laid out as the manual procedure leaves it:
/// `definitions.json` plus `msg_stores/vhosts/<dir>/…`, with directory names computed the
/// way RabbitMQ computes them (unless a test overrides them).
struct BackupTree {
    let root: String

    init(at root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root + "/msg_stores/vhosts", withIntermediateDirectories: true)
    }

    var msgStores: String { root + "/msg_stores" }

    @discardableResult
    func vhost(_ name: String, dir: String? = nil) throws -> String {
        let dir = dir ?? RabbitDirectoryName.vhost(name)
        let base = "\(msgStores)/vhosts/\(dir)"
        try FileManager.default.createDirectory(atPath: base + "/msg_store_persistent", withIntermediateDirectories: true)
        try write(base + "/.vhost", Array(name.utf8))
        try write(base + "/.config", Array("%% auto\n{segment_entry_count, 2048}.\n".utf8))
        return base
    }

    @discardableResult
    func queue(vhost: String, name: String, version: Int = 1, dir: String? = nil, queueNameFile: [UInt8]? = nil) throws -> String {
        let vdir = "\(msgStores)/vhosts/\(RabbitDirectoryName.vhost(vhost))"
        let qdir = "\(vdir)/queues/\(dir ?? RabbitDirectoryName.queue(vhost: vhost, queue: name))"
        try FileManager.default.createDirectory(atPath: qdir, withIntermediateDirectories: true)
        let text = "VHOST: \(vhost)\nQUEUE: \(name)\n" + (version == 2 ? "INDEX: v2\n" : "")
        try write(qdir + "/.queue_name", queueNameFile ?? Array(text.utf8))
        // Valid index files (3 messages), so that offline counting and verify see a healthy queue.
        let body = Self.randomBytes(100, seed: Self.stableSeed(name))
        if version == 2 {
            var qi = IndexRecordBuilder.qiHeader(segment: 0, entries: 4096)
            for i in 0..<3 { qi += IndexRecordBuilder.qiEntry(location: .queueStore(offset: 64 + UInt64(i) * 108, size: 108)) }
            try write(qdir + "/0.qi", qi)
            try write(qdir + "/0.qs", Array(repeating: 0, count: 64) + Self.randomBytes(3 * 108, seed: Self.stableSeed(name) &+ 1))
        } else {
            var idx: [UInt8] = []
            for rel in 0..<3 { idx += IndexRecordBuilder.segPub(rel: rel, size: 100, embedded: body) + IndexRecordBuilder.segRel(rel) }
            try write(qdir + "/0.idx", idx)
            try write(qdir + "/journal.jif", [])
        }
        return qdir
    }

    func rdq(vhost: String, segment: Int, bytes: [UInt8]) throws {
        try write("\(msgStores)/vhosts/\(RabbitDirectoryName.vhost(vhost))/msg_store_persistent/\(segment).rdq", bytes)
    }

    func definitions(_ json: String, name: String = "definitions.json") throws {
        try write(root + "/" + name, Array(json.utf8))
    }

    /// A cluster-wide export naming these vhosts and (vhost, queue, type) queues.
    func definitions(vhosts: [String], queues: [(String, String, String)], users: String = "[]") throws {
        func quote(_ s: String) -> String { String(decoding: try! JSONEncoder().encode(s), as: UTF8.self) }
        let vhostJSON = vhosts.map { "{\"name\": \(quote($0)), \"limits\": [], \"metadata\": {}}" }.joined(separator: ",")
        let queueJSON = queues.map {
            "{\"name\": \(quote($0.1)), \"vhost\": \(quote($0.0)), \"durable\": true, \"auto_delete\": false, \"arguments\": {}, \"type\": \(quote($0.2))}"
        }.joined(separator: ",")
        try definitions("""
            {"rabbit_version": "3.10.8", "rabbitmq_version": "3.10.8", "users": \(users), "vhosts": [\(vhostJSON)],
             "permissions": [], "topic_permissions": [], "parameters": [], "global_parameters": [], "policies": [],
             "queues": [\(queueJSON)], "exchanges": [], "bindings": []}
            """)
    }

    func write(_ path: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func stableSeed(_ text: String) -> Int {
        text.utf8.reduce(5381) { $0 &* 33 &+ Int($1) }
    }

    static func randomBytes(_ count: Int, seed: Int) -> [UInt8] {
        var state = UInt64(bitPattern: Int64(seed)) | 1
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    /// The standard small tree most tests use: two vhosts, a v1 and a v2 queue, one rdq.
    static func standard(at root: String) throws -> BackupTree {
        let tree = try BackupTree(at: root)
        try tree.vhost("/")
        try tree.vhost("shop/eu")
        try tree.queue(vhost: "/", name: "orders")
        try tree.queue(vhost: "shop/eu", name: "emails", version: 2)
        try tree.rdq(vhost: "/", segment: 0, bytes: randomBytes(100_000, seed: 7))
        try tree.definitions(vhosts: ["/", "shop/eu"], queues: [("/", "orders", "classic"), ("shop/eu", "emails", "classic")])
        return tree
    }
}
