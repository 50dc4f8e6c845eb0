import Foundation
import Hummingbird
import NIOCore
import WarrenCore

/// Reads request bodies for `request.decode(as:context:)`: size-limited, one JSON object,
/// each key once (Warren's strict reader, as for definitions files: `{"dry_run": true,
/// "dry_run": false}` is refused, not read as whichever value a lenient decoder keeps), no
/// field the body type does not list, strings of at most 4096 characters without NUL, and a 400
/// naming the field on a wrong type or a missing field.
public struct StrictRequestDecoder: RequestDecoder {
    /// Longest string accepted in any field.
    static let maximumStringLength = 4096

    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw APIError(.contentTooLarge, "body_too_large", "request body larger than \(context.maxUploadSize) bytes")
        }
        return try Self.decode(type, from: Array(buffer.readableBytesView))
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let body = type as? any APIRequestBody.Type
        var value: JSONValue = .object([:])
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            if body?.requiresBody ?? true { throw APIError.badRequest("empty_body", "a JSON object body is required") }
        } else {
            do throws(StrictJSONError) {
                value = try StrictJSON.parse(bytes)
            } catch {
                if let key = error.duplicateKey {
                    throw APIError.badRequest("duplicate_key", "the body has the key '\(key)' more than once\(error.location.isEmpty ? "" : " (in \(error.location))"): send each field once",
                                              details: .object(["key": .string(key), "location": .string(error.location)]))
                }
                throw APIError.badRequest("malformed_json", "the body \(error.description)")
            }
        }
        guard case let .object(members) = value else { throw APIError.badRequest("invalid_body", "the body must be a JSON object") }
        if let allowed = body?.fieldNames {
            let unknown = members.keys.filter { !allowed.contains($0) }.sorted()
            if !unknown.isEmpty {
                throw APIError.badRequest("unknown_field", "unknown field(s): \(unknown.joined(separator: ", ")); this body takes \(allowed.sorted().joined(separator: ", "))",
                                          details: .object(["fields": .array(unknown.map { .string($0) }), "allowed": .array(allowed.sorted().map { .string($0) })]))
            }
        }
        var normalized: [String: JSONValue] = [:]
        for (name, member) in members { normalized[name] = try normalize(member, field: name) }
        do {
            return try JSONDecoder().decode(T.self, from: JSONEncoder().encode(JSONValue.object(normalized)))
        } catch let error as DecodingError {
            throw apiError(error)
        }
    }

    /// 5.0 is an integer in JSON Schema's eyes; strings are bounded.
    private static func normalize(_ value: JSONValue, field: String) throws -> JSONValue {
        switch value {
        case let .number(d) where d.rounded() == d && abs(d) < 9.0e18: return .integer(Int64(d))
        case let .string(s):
            // Characters, as JSON Schema's maxLength counts them (the body itself is at most 64 KiB).
            guard s.unicodeScalars.count <= maximumStringLength, !s.contains("\0") else {
                throw APIError.badRequest("invalid_value", "field '\(field)' is longer than \(maximumStringLength) characters or holds a NUL character",
                                          details: .object(["field": .string(field)]))
            }
            return value
        case let .array(items): return .array(try items.map { try normalize($0, field: field) })
        case let .object(members): return .object(try members.mapValues { try normalize($0, field: field) })
        default: return value
        }
    }

    private static func field(_ path: [any CodingKey]) -> String {
        path.first?.stringValue ?? "body"
    }

    private static func apiError(_ error: DecodingError) -> APIError {
        switch error {
        case let .keyNotFound(key, context):
            let name = field(context.codingPath + [key])
            return APIError.badRequest("missing_field", "field '\(name)' is required", details: .object(["field": .string(name)]))
        case let .valueNotFound(_, context):
            let name = field(context.codingPath)
            return APIError.badRequest("missing_field", "field '\(name)' is required (null is not a value for it)", details: .object(["field": .string(name)]))
        case let .typeMismatch(type, context):
            let name = field(context.codingPath)
            let expected = expectation(type, nested: context.codingPath.count > 1)
            return APIError.badRequest("wrong_type", "field '\(name)' must be \(expected)", details: .object(["field": .string(name), "expected": .string(expected)]))
        case let .dataCorrupted(context):
            let name = field(context.codingPath)
            return APIError.badRequest("wrong_type", "field '\(name)' has a value of the wrong type (\(context.debugDescription))", details: .object(["field": .string(name)]))
        @unknown default:
            return APIError.badRequest("invalid_body", "the body could not be read: \(error)")
        }
    }

    private static func expectation(_ type: Any.Type, nested: Bool) -> String {
        let name: String
        switch type {
        case is String.Type: name = "a string"
        case is Bool.Type: name = "true or false"
        case is Int.Type, is Int64.Type: name = "an integer"
        case is [Any].Type: name = "an array"
        default: name = "a \(type)"
        }
        return nested ? "an array of \(name.split(separator: " ").dropFirst().joined(separator: " "))s" : name
    }
}
