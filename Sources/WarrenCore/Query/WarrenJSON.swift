import Foundation

/// The one JSON style of every Warren output: snake_case keys, sorted, pretty-printed.
public enum WarrenJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// What ``encoder()`` writes for `value`, faster for a list of summaries
    /// (``SummaryPageJSON``: the bulk of `list --json` and `GET /v1/backups`).
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        if let summaries = value as? [BackupSummary] { return SummaryPageJSON.encode(summaries) }
        return try encoder().encode(value)
    }

    /// Reads what ``encoder()`` wrote.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    public static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}
