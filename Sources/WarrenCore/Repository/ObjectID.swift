import Crypto
import Foundation
import GRDB

/// The SHA-256 of an object's content: its name in the repository.
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    public init(digest: SHA256.Digest) {
        bytes = Array(digest)
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// 64 hex digits, either case (one parser: ``DigestKey``'s).
    public init?(hex: String) {
        guard let key = DigestKey(hex: hex) else { return nil }
        bytes = key.withBytes { Array($0) }
    }

    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The first 12 hex digits, for tables.
    public var short: String { String(hex.prefix(12)) }

    public var description: String { hex }

    public var data: Data { Data(bytes) }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

/// In JSON (`list`, `show`, the API): the 64 lowercase hex digits. In the catalog: the
/// 32-byte BLOB (`definitions_sha256`, `object.sha256`); a BLOB of another length is no id.
extension ObjectID: Codable, DatabaseValueConvertible {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = ObjectID(hex: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a SHA-256 in hex")
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    public var databaseValue: DatabaseValue { data.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> ObjectID? {
        guard case let .blob(data) = dbValue.storage else { return nil }
        return ObjectID(bytes: Array(data))
    }
}
