import Foundation

/// Fixes, before import, what RabbitMQ's own `export_definitions` gets wrong (issue 16 §3):
/// - operator policies are exported with `"definition": [["max-length", 1000]]`, which
///   `import_definitions` rejects ("definition must be a dictionary"): turned into an object;
/// - internal exchanges are left out while bindings to them are kept (3.10 drops those
///   bindings, 4.0.5 fails part-way): the durable internal exchanges the backup's survey
///   recorded are added.
/// Bytes that need no repair are returned unchanged.
public enum DefinitionsRepair {
    /// The repaired definitions and one sentence per change.
    public static func repair(_ bytes: [UInt8], internalExchanges: [BrokerSurvey.Exchange]) throws -> (bytes: [UInt8], changes: [String]) {
        guard var root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return (bytes, []) }
        var changes: [String] = []
        if var parameters = root["parameters"] as? [[String: Any]] {
            for i in parameters.indices where parameters[i]["component"] as? String == "operator_policy" {
                guard var value = parameters[i]["value"] as? [String: Any], let pairs = dictionary(fromPairs: value["definition"]) else { continue }
                value["definition"] = pairs
                parameters[i]["value"] = value
                changes.append("operator policy '\(parameters[i]["name"] as? String ?? "?")' in vhost '\(parameters[i]["vhost"] as? String ?? "?")': definition list turned into an object")
            }
            root["parameters"] = parameters
        }
        if var policies = root["policies"] as? [[String: Any]] {
            for i in policies.indices {
                guard let pairs = dictionary(fromPairs: policies[i]["definition"]) else { continue }
                policies[i]["definition"] = pairs
                changes.append("policy '\(policies[i]["name"] as? String ?? "?")' in vhost '\(policies[i]["vhost"] as? String ?? "?")': definition list turned into an object")
            }
            root["policies"] = policies
        }
        var exchanges = root["exchanges"] as? [[String: Any]] ?? []
        let present = Set(exchanges.compactMap { e in (e["vhost"] as? String).flatMap { v in (e["name"] as? String).map { [v, $0] } } })
        for e in internalExchanges where e.internal && e.durable && !present.contains([e.vhost, e.name]) {
            exchanges.append(["name": e.name, "vhost": e.vhost, "type": e.type, "durable": true, "auto_delete": false, "internal": true, "arguments": [String: Any]()])
            changes.append("internal exchange '\(e.name)' in vhost '\(e.vhost)' added (export_definitions leaves internal exchanges out)")
        }
        root["exchanges"] = exchanges
        guard !changes.isEmpty else { return (bytes, []) }
        let data = try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
        return (Array(data), changes)
    }

    /// `[["max-length", 1000], …]` as `{"max-length": 1000, …}`; nil for anything else.
    static func dictionary(fromPairs value: Any?) -> [String: Any]? {
        guard let list = value as? [Any], !list.isEmpty else { return nil }
        var result: [String: Any] = [:]
        for item in list {
            guard let pair = item as? [Any], pair.count == 2, let key = pair[0] as? String else { return nil }
            result[key] = pair[1]
        }
        return result
    }
}
