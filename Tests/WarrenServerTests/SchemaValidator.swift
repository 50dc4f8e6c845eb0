import Foundation
import WarrenCore

/// A small JSON Schema checker for the parts of JSON Schema that docs/openapi.json uses
/// (`$ref`, `type` and type lists, `enum`, `properties`, `required`,
/// `additionalProperties: false`, `items`, `oneOf`), so that real answers can be checked
/// against the document: a field the code adds or drops, or a wrong type, is a failure.
struct SchemaValidator {
    let document: [String: Any]

    /// Every violation of `schema` by `value`, each with its JSON path.
    func violations(_ value: JSONValue, _ schema: [String: Any], at path: String = "$") -> [String] {
        if let reference = schema["$ref"] as? String {
            let name = String(reference.split(separator: "/").last ?? "")
            let components = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
            guard let target = components?[name] as? [String: Any] else { return ["\(path): unknown $ref \(reference)"] }
            return violations(value, target, at: path)
        }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            let matching = choices.filter { violations(value, $0, at: path).isEmpty }.count
            return matching == 1 ? [] : ["\(path): matches \(matching) of oneOf's \(choices.count) schemas: \(String(describing: value).prefix(200))"]
        }
        var problems: [String] = []
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [type as? String ?? ""]
            guard allowed.contains(where: { Self.isOfType(value, $0) }) else {
                return ["\(path): \(String(describing: value).prefix(80)) is not \(allowed.joined(separator: " or "))"]
            }
        }
        if let values = schema["enum"] as? [Any] {
            let allowed = values.map { $0 is NSNull ? "null" : "\($0)" }
            let given: String
            switch value {
            case .null: given = "null"
            case let .string(text): given = text
            default: given = "\(value)"
            }
            if !allowed.contains(given) { problems.append("\(path): '\(given)' is not one of \(allowed)") }
        }
        if case let .object(object) = value {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): required key '\(key)' is missing")
            }
            if schema["additionalProperties"] as? Bool == false {
                for key in object.keys where properties[key] == nil { problems.append("\(path): key '\(key)' is not in the document") }
            }
            for (key, member) in object {
                if let sub = properties[key] as? [String: Any] { problems += violations(member, sub, at: path + "." + key) }
            }
        }
        if case let .array(array) = value, let items = schema["items"] as? [String: Any] {
            for (i, element) in array.enumerated() { problems += violations(element, items, at: "\(path)[\(i)]") }
        }
        return problems
    }

    /// The schema `name` of the document's components.
    func check(_ value: JSONValue, against name: String) -> [String] {
        violations(value, ["$ref": "#/components/schemas/\(name)"])
    }

    static func isOfType(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .integer),
             ("number", .integer), ("number", .number): return true
        default: return false
        }
    }
}
