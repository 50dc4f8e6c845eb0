import Foundation

/// RabbitMQ 4.x removed classic queue mirroring. Checked on a real 4.0.5 node:
/// `import_definitions` refuses a policy holding `ha-*` keys ("are not recognised policy
/// settings", exit 69) after it created the vhosts and users; `x-ha-*` queue arguments are
/// accepted and ignored. So, before an import into 4.x, the `ha-*` keys are taken out of
/// every policy, and a policy left empty is dropped; queue arguments are left as they are.
public enum MirroringStrip {
    /// True for a policy key of classic mirroring (`ha-mode`, `ha-params`, `ha-sync-mode`, …).
    public static func isMirroringKey(_ key: String) -> Bool { key.hasPrefix("ha-") }

    /// The definitions without mirroring policy keys, and one sentence per change. Bytes
    /// that hold none are returned unchanged.
    public static func strip(_ bytes: [UInt8]) throws -> (bytes: [UInt8], changes: [String]) {
        guard var root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let policies = root["policies"] as? [[String: Any]] else { return (bytes, []) }
        var kept: [[String: Any]] = []
        var changes: [String] = []
        for var policy in policies {
            guard let definition = policy["definition"] as? [String: Any] else { kept.append(policy); continue }
            let removed = definition.keys.filter(isMirroringKey).sorted()
            guard !removed.isEmpty else { kept.append(policy); continue }
            let rest = definition.filter { !isMirroringKey($0.key) }
            let name = "policy '\(policy["name"] as? String ?? "?")' in vhost '\(policy["vhost"] as? String ?? "?")'"
            if rest.isEmpty {
                changes.append("\(name) dropped: it only held \(removed.joined(separator: ", ")) (classic mirroring, removed in RabbitMQ 4.x, which refuses the whole import for it)")
            } else {
                policy["definition"] = rest
                kept.append(policy)
                changes.append("\(name): \(removed.joined(separator: ", ")) removed (classic mirroring, removed in RabbitMQ 4.x); kept \(rest.keys.sorted().joined(separator: ", "))")
            }
        }
        guard !changes.isEmpty else { return (bytes, []) }
        root["policies"] = kept
        return (Array(try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])), changes)
    }
}
