/// Makes every classic queue's type explicit (`x-queue-type: classic`) in the definitions a
/// restore imports. Without it a queue takes its target vhost's `default_queue_type`; when
/// that is `quorum` (3.11+), the queue becomes a quorum queue and its copied classic data is
/// deleted at boot, without an error (seen on 4.0.5: 97 messages lost).
struct ClassicTypePinning {
    /// The definitions to import, re-encoded only when a queue was changed.
    var bytes: [UInt8]
    /// "vhost/queue" of each queue whose type was made explicit.
    var pinned: [String]

    init(definitions: [UInt8]) throws {
        guard case var .object(root) = try StrictJSON.parse(definitions), case let .array(queues)? = root["queues"] else {
            bytes = definitions
            pinned = []
            return
        }
        var changed: [String] = []
        let updated: [JSONValue] = queues.map { queue in
            guard case var .object(q) = queue else { return queue }
            var arguments: [String: JSONValue] = [:]
            if case let .object(a)? = q["arguments"] { arguments = a }
            let declared = q["type"]?.stringValue
            guard arguments["x-queue-type"] == nil, declared == nil || declared == "classic" else { return queue }
            arguments["x-queue-type"] = .string("classic")
            q["arguments"] = .object(arguments)
            changed.append("\(q["vhost"]?.stringValue ?? "?")/\(q["name"]?.stringValue ?? "?")")
            return .object(q)
        }
        guard !changed.isEmpty else {
            bytes = definitions
            pinned = []
            return
        }
        root["queues"] = .array(updated)
        bytes = Array(JSONValue.object(root).canonicalJSON.utf8)
        pinned = changed
    }
}
