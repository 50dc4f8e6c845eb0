import Crypto
import Foundation

/// The fixed 40-byte header that starts every sealed envelope (object or document):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 4 | magic `WRNS` |
/// | 4 | 1 | format version (1) |
/// | 5 | 1 | algorithm (``SealingAlgorithm``) |
/// | 6 | 1 | kind (``SealedKind``) |
/// | 7 | 1 | log2 of the plaintext chunk size (12…24) |
/// | 8 | 32 | random salt, fresh for every envelope |
///
/// The salt and the repository's encryption key give the envelope its own key (HKDF-SHA256),
/// as age does, so chunk nonces can be plain counters and never repeat under one key.
/// The whole header is authenticated with every chunk.
public struct EnvelopeHeader: Sendable, Equatable {
    public static let magic: [UInt8] = Array("WRNS".utf8)
    public static let currentVersion: UInt8 = 1
    public static let byteCount = 40
    public static let saltByteCount = 32
    /// Chunk sizes a reader accepts: 4 KiB … 16 MiB (bounded memory either way).
    public static let chunkShifts: ClosedRange<UInt8> = 12...24

    public var version: UInt8
    public var algorithm: SealingAlgorithm
    public var kind: SealedKind
    public var chunkShift: UInt8
    public var salt: [UInt8]

    public var chunkSize: Int { 1 << Int(chunkShift) }

    /// A new header with a fresh random salt.
    public init(algorithm: SealingAlgorithm, kind: SealedKind, chunkShift: UInt8) {
        precondition(Self.chunkShifts.contains(chunkShift), "chunk shift \(chunkShift) out of range")
        version = Self.currentVersion
        self.algorithm = algorithm
        self.kind = kind
        self.chunkShift = chunkShift
        salt = SecureRandom.bytes(Self.saltByteCount)
    }

    /// Parses and checks a header. `expectedKind` is what the caller asked to read.
    public init(parsing bytes: some Collection<UInt8>, expectedKind: SealedKind) throws(DecryptionFailure) {
        let b = Array(bytes.prefix(Self.byteCount))
        guard b.count >= Self.magic.count, Array(b[0..<4]) == Self.magic else {
            throw b.count < Self.magic.count && Self.magic.starts(with: b) ? .truncatedHeader : .notSealed
        }
        guard b.count == Self.byteCount else { throw .truncatedHeader }
        guard b[4] == Self.currentVersion else { throw .unsupportedVersion(b[4]) }
        guard let algorithm = SealingAlgorithm(rawValue: b[5]) else { throw .unsupportedAlgorithm(b[5]) }
        guard let kind = SealedKind(rawValue: b[6]), kind == expectedKind else {
            throw .kindMismatch(expected: expectedKind, found: b[6])
        }
        guard Self.chunkShifts.contains(b[7]) else { throw .invalidChunkSize(shift: b[7]) }
        version = b[4]
        self.algorithm = algorithm
        self.kind = kind
        chunkShift = b[7]
        salt = Array(b[8..<40])
    }

    public var bytes: [UInt8] {
        Self.magic + [version, algorithm.rawValue, kind.rawValue, chunkShift] + salt
    }

    /// This envelope's own key: HKDF-SHA256 of the repository's encryption key, salted with
    /// the header's random salt, with the header's first 8 bytes in the info.
    func envelopeKey(from encryptionKey: SymmetricKey) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: encryptionKey, salt: salt,
            info: Array("warren envelope key".utf8) + bytes.prefix(8), outputByteCount: 32)
    }

    /// The nonce of chunk `index`: an 11-byte big-endian counter and a last-chunk flag (age's STREAM).
    static func nonce(chunk index: UInt64, last: Bool) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: 12)
        for i in 0..<8 { nonce[10 - i] = UInt8(truncatingIfNeeded: index >> (8 * UInt64(i))) }
        nonce[11] = last ? 1 : 0
        return nonce
    }

    /// What every chunk authenticates: the header; the last chunk also the envelope's name
    /// (object id or document name), length-prefixed. The name is only known at the end of
    /// a single read pass (the object id is the keyed hash of the content), and binding it
    /// to the last chunk binds it to the whole stream: every chunk is sealed with the
    /// envelope's own key, which no other envelope has.
    static func associatedData(header: [UInt8], last: Bool, name: [UInt8]) -> [UInt8] {
        guard last else { return header }
        precondition(name.count <= Int(UInt16.max), "envelope name longer than 65535 bytes")
        return header + [UInt8(name.count >> 8), UInt8(name.count & 0xFF)] + name
    }
}
