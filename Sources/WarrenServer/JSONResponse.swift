import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WarrenCore

/// JSON answers, encoded exactly as the CLI's `--json` (``WarrenJSON/encoder()``).
enum JSONResponse {
    /// One encoder for every answer: its settings never change after this, and encode(_:)
    /// keeps no state between calls, so sharing it across event-loop threads is safe.
    private static let encoder = WarrenJSON.encoder()

    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            data = Data(#"{"error": {"code": "internal_error", "message": "could not encode the answer", "details": null}}"#.utf8)
        }
        data.append(0x0A)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func raw(_ data: Data, contentType: String = "application/json") -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Request bodies: size-limited, JSON objects only, unknown fields and wrong types refused.
enum RequestBody {
    /// Largest accepted body; larger ones get 413.
    static let limit = 64 * 1024

    /// The body as a JSON object's members; an empty body is `{}` when `allowEmpty`.
    static func object(_ request: inout Request, allowed: Set<String>, allowEmpty: Bool = true) async throws -> [String: JSONValue] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "body_too_large", "request body larger than \(limit) bytes")
        }
        let bytes = Data(buffer.readableBytesView)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            if allowEmpty { return [:] }
            throw APIError.badRequest("empty_body", "a JSON object body is required")
        }
        // The same strict reader as definitions files: {"dry_run": true, "dry_run": false}
        // is refused, not read as whichever value a lenient decoder keeps.
        let value: JSONValue
        do throws(StrictJSONError) {
            value = try StrictJSON.parse(Array(bytes))
        } catch {
            if let key = error.duplicateKey {
                throw APIError.badRequest("duplicate_key", "the body has the key '\(key)' more than once\(error.location.isEmpty ? "" : " (in \(error.location))"): send each field once",
                                          details: .object(["key": .string(key), "location": .string(error.location)]))
            }
            throw APIError.badRequest("malformed_json", "the body \(error.description)")
        }
        guard case let .object(members) = value else {
            throw APIError.badRequest("invalid_body", "the body must be a JSON object")
        }
        let unknown = members.keys.filter { !allowed.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw APIError.badRequest("unknown_field", "unknown field(s): \(unknown.joined(separator: ", "))",
                                      details: .object(["fields": .array(unknown.map { .string($0) }), "allowed": .array(allowed.sorted().map { .string($0) })]))
        }
        return members
    }
}

/// Typed access to body members, with a 400 naming the field on a wrong type.
struct Fields {
    let members: [String: JSONValue]

    private func wrongType(_ name: String, _ expected: String) -> APIError {
        APIError.badRequest("wrong_type", "field '\(name)' must be \(expected)", details: .object(["field": .string(name), "expected": .string(expected)]))
    }

    func string(_ name: String) throws -> String? {
        switch members[name] {
        case nil, .null?: return nil
        case let .string(s)?:
            guard s.utf8.count <= 4096, !s.contains("\0") else {
                throw APIError.badRequest("invalid_value", "field '\(name)' is too long or holds a NUL byte")
            }
            return s
        default: throw wrongType(name, "a string")
        }
    }

    func requiredString(_ name: String) throws -> String {
        guard let value = try string(name), !value.isEmpty else {
            throw APIError.badRequest("missing_field", "field '\(name)' is required", details: .object(["field": .string(name)]))
        }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        switch members[name] {
        case nil, .null?: return nil
        case let .bool(b)?: return b
        default: throw wrongType(name, "true or false")
        }
    }

    func int(_ name: String, minimum: Int64 = 1) throws -> Int64? {
        switch members[name] {
        case nil, .null?: return nil
        case let .integer(i)?:
            guard i >= minimum else { throw APIError.badRequest("invalid_value", "field '\(name)' must be at least \(minimum)") }
            return i
        case let .number(d)? where d.rounded() == d && abs(d) < 9.0e18:
            // 5.0 is an integer in JSON Schema's eyes.
            guard Int64(d) >= minimum else { throw APIError.badRequest("invalid_value", "field '\(name)' must be at least \(minimum)") }
            return Int64(d)
        default: throw wrongType(name, "an integer")
        }
    }

    func strings(_ name: String) throws -> [String] {
        switch members[name] {
        case nil, .null?: return []
        case let .array(items)?:
            return try items.map {
                guard case let .string(s) = $0, s.utf8.count <= 4096 else { throw wrongType(name, "an array of strings") }
                return s
            }
        default: throw wrongType(name, "an array of strings")
        }
    }
}

/// Path and query parameters.
enum Params {
    /// A backup or job id: decimal digits only, 1…Int64.max. `../1` and friends are 400.
    static func id(_ text: String?, name: String = "id") throws -> Int64 {
        guard let text, !text.isEmpty, text.count <= 19, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int64(text), value >= 1 else {
            throw APIError.badRequest("invalid_id", "\(name) must be a positive integer, got '\(String((text ?? "").prefix(64)))'")
        }
        return value
    }

    static func timestamp(_ text: String?, name: String) throws -> String? {
        guard let text else { return nil }
        // Strict RFC 3339 (or a bare date): "2026-11-21xyz" is refused, not read as a day.
        let date: Date
        if text.utf8.count == 10 {
            guard let day = try? RFC3339.parseFullDate(text) else {
                throw APIError.badRequest("invalid_value", "\(name) must be an RFC 3339 time such as 2026-11-21T19:27:13Z or a date 2026-11-21")
            }
            date = day
        } else {
            do {
                date = try RFC3339.parse(text)
            } catch {
                throw APIError.badRequest("invalid_value", "\(name) '\(String(text.prefix(64)))' \(error)")
            }
        }
        return Timestamp.format(date)
    }
}
