/// What one read pass over a file's content yields: its plain SHA-256 (recorded in the
/// manifest, checked by restore and `verify --full`) and, in an encrypted repository,
/// its keyed object id (the object's name). The two are kept apart: the plain SHA-256
/// never names anything in an encrypted repository.
public struct ContentDigest: Sendable, Equatable {
    /// SHA-256 of the plaintext (32 bytes).
    public var sha256: [UInt8]
    /// HMAC-SHA256 of the plaintext with the repository's id key (32 bytes); nil when the
    /// repository is not encrypted.
    public var keyedID: [UInt8]?
    /// Bytes digested.
    public var byteCount: Int64

    /// Lower-case hex of a digest.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
