import Foundation
import WarrenCore

/// A backup directory laid out as the documented manual procedure leaves it, made without a
/// broker: definitions for vhost `/` and a durable classic queue `orders`, its (idle) queue
/// directory, a shared rdq file (the same in every backup made by this helper, so it is
/// deduplicated) and `uniqueFiles` rdq files of `uniqueBytes` each that only this backup has.
enum SyntheticBackup {
    static func make(at root: String, uniqueFiles: Int = 1, uniqueBytes: Int = 4096, seed: UInt64 = UInt64.random(in: 1...UInt64.max)) throws {
        let vhostDir = "\(root)/msg_stores/vhosts/\(RabbitDirectoryName.vhost("/"))"
        let queueDir = "\(vhostDir)/queues/\(RabbitDirectoryName.queue(vhost: "/", queue: "orders"))"
        try FileManager.default.createDirectory(atPath: vhostDir + "/msg_store_persistent", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: queueDir, withIntermediateDirectories: true)
        try write(root + "/definitions.json", Array("""
            {"rabbit_version": "3.13.7", "rabbitmq_version": "3.13.7", "users": [], "permissions": [],
             "vhosts": [{"name": "/"}], "topic_permissions": [], "parameters": [], "global_parameters": [],
             "policies": [], "exchanges": [], "bindings": [],
             "queues": [{"name": "orders", "vhost": "/", "durable": true, "auto_delete": false, "arguments": {}, "type": "classic"}]}
            """.utf8))
        try write(vhostDir + "/.vhost", Array("/".utf8))
        try write(vhostDir + "/.config", Array("{segment_entry_count, 2048}.\n".utf8))
        try write(queueDir + "/.queue_name", Array("VHOST: /\nQUEUE: orders\n".utf8))
        try write(vhostDir + "/msg_store_persistent/0.rdq", bytes(64 << 10, seed: 13))
        for i in 0..<uniqueFiles {
            try write(vhostDir + "/msg_store_persistent/\(100 + i).rdq", bytes(uniqueBytes, seed: seed &+ UInt64(i) &* 7919))
        }
    }

    static func write(_ path: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Deterministic pseudo-random bytes (xorshift).
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed | 1
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }
}
