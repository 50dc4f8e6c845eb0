import Foundation
import Hummingbird
import WarrenCore

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

    /// The `{id}` path parameter.
    static func id(_ context: some RequestContext) throws -> Int64 {
        try id(context.parameters.get("id"))
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
