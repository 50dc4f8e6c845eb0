import Crypto
import Foundation

/// The framing of every document Warren keeps in a repository (manifests, tombstones,
/// `config`): one header line, then a JSON body.
///
///     warren-manifest v1 sha256=<64 hex digits of the body> bytes=<body length>\n
///     {"backup":{…},…}
///
/// The header names the kind and format version, so a reader refuses what it does not
/// know, and its checksum catches any flipped, missing or added byte.
enum ChecksummedDocument {
    /// Why a stored document cannot be used.
    enum Damage: Error, Equatable, CustomStringConvertible {
        case noHeader
        case wrongKind(expected: String, found: String)
        case unknownVersion(Int, known: Int)
        case lengthMismatch(header: Int, actual: Int)
        case checksumMismatch
        case undecodable(String)

        var description: String {
            switch self {
            case .noHeader: return "it has no Warren document header"
            case let .wrongKind(expected, found): return "it is a \(found) document, expected \(expected)"
            case let .unknownVersion(v, known): return "format version \(v) is newer than this binary's \(known); upgrade warren"
            case let .lengthMismatch(header, actual): return "its header says \(header) bytes, the body has \(actual) (truncated or extended)"
            case .checksumMismatch: return "its SHA-256 does not match its header (the file is damaged)"
            case let .undecodable(detail): return "its body cannot be read (\(detail))"
            }
        }
    }

    /// How a document type's properties become JSON keys.
    enum KeyStyle {
        /// The coder converts camelCase property names to snake_case (small documents).
        case converted
        /// The type's `CodingKeys` are snake_case already (manifests: converting 10 million
        /// keys took most of a rebuild).
        case explicit
    }

    static func encode<T: Encodable>(_ value: T, kind: String, version: Int, keys: KeyStyle = .converted) throws -> [UInt8] {
        let encoder = JSONEncoder()
        if keys == .converted { encoder.keyEncodingStrategy = .convertToSnakeCase }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = [UInt8](try encoder.encode(value))
        let digest = body.withUnsafeBytes { ObjectStore.digest($0) }
        return Array("\(kind) v\(version) sha256=\(digest.hex) bytes=\(body.count)\n".utf8) + body
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], kind: String, knownVersion: Int, keys: KeyStyle = .converted) throws -> T {
        try decodeBody(of: bytes, kind: kind, knownVersion: knownVersion) { body in
            let decoder = JSONDecoder()
            if keys == .converted { decoder.keyDecodingStrategy = .convertFromSnakeCase }
            return try decoder.decode(T.self, from: Data(body))
        }
    }

    /// Checks the header line and the checksum, then hands the JSON body to `decode`; what
    /// `decode` throws becomes ``Damage/undecodable(_:)``.
    static func decodeBody<T>(of bytes: [UInt8], kind: String, knownVersion: Int, _ decode: (ArraySlice<UInt8>) throws -> T) throws -> T {
        guard let newline = bytes.prefix(256).firstIndex(of: UInt8(ascii: "\n")) else { throw Damage.noHeader }
        let fields = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ")
        guard fields.count == 4, fields[1].hasPrefix("v"), let version = Int(fields[1].dropFirst()),
              fields[2].hasPrefix("sha256="), fields[3].hasPrefix("bytes="), let length = Int(fields[3].dropFirst(6))
        else { throw Damage.noHeader }
        guard fields[0] == kind else { throw Damage.wrongKind(expected: kind, found: String(fields[0])) }
        guard version <= knownVersion, version >= 1 else { throw Damage.unknownVersion(version, known: knownVersion) }
        let body = bytes[(newline + 1)...]
        guard body.count == length else { throw Damage.lengthMismatch(header: length, actual: body.count) }
        let digest = body.withUnsafeBytes { ObjectStore.digest($0) }
        guard digest.hex == fields[2].dropFirst(7) else { throw Damage.checksumMismatch }
        do {
            return try decode(body)
        } catch {
            throw Damage.undecodable("\(error)")
        }
    }
}
