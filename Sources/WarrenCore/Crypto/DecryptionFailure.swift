/// Why a sealed envelope could not be opened. Every case means the same thing to the caller:
/// nothing from this envelope may be used (no plaintext is ever handed on from one that
/// fails). The cases exist so that an operator can tell tampering from a foreign file.
public enum DecryptionFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data does not start with an envelope header (a plaintext or foreign file).
    case notSealed
    /// The data ends inside the header (e.g. an empty file).
    case truncatedHeader
    /// Written by a newer Warren.
    case unsupportedVersion(UInt8)
    /// The header names an algorithm this Warren does not know.
    case unsupportedAlgorithm(UInt8)
    /// The header says another kind than the caller asked for.
    case kindMismatch(expected: SealedKind, found: UInt8)
    /// The header's chunk size is out of range.
    case invalidChunkSize(shift: UInt8)
    /// Chunk `chunk` (0-based) does not authenticate: a changed byte in the header, the
    /// ciphertext or a tag; chunks reordered or taken from another envelope; the wrong key;
    /// or the envelope read under another name (object id) than it was sealed for.
    case authenticationFailed(chunk: UInt64)
    /// The envelope ends after `chunks` whole chunks, or inside the next one, without its
    /// last chunk.
    case truncated(chunks: UInt64)
    /// Bytes follow the last chunk.
    case trailingData(afterChunk: UInt64)

    /// This failure as the error a command reports, naming the object (its id or document
    /// name as the operator sees it) and its kind.
    public func error(object: String, kind: SealedKind) -> WarrenError {
        .crypto(.decryptionFailed(object: object, kind: kind, failure: self))
    }

    /// A stable code for JSON output and findings.
    public var code: String {
        switch self {
        case .notSealed: return "not_sealed"
        case .truncatedHeader: return "truncated_header"
        case .unsupportedVersion: return "unsupported_version"
        case .unsupportedAlgorithm: return "unsupported_algorithm"
        case .kindMismatch: return "kind_mismatch"
        case .invalidChunkSize: return "invalid_chunk_size"
        case .authenticationFailed: return "authentication_failed"
        case .truncated: return "truncated"
        case .trailingData: return "trailing_data"
        }
    }

    public var description: String {
        switch self {
        case .notSealed:
            return "it is not encrypted by Warren (no envelope header): a plaintext or foreign file"
        case .truncatedHeader:
            return "it ends inside its header (truncated or empty)"
        case let .unsupportedVersion(v):
            return "its format version \(v) is newer than this Warren reads; upgrade warren"
        case let .unsupportedAlgorithm(a):
            return "its algorithm \(a) is unknown to this Warren; upgrade warren"
        case let .kindMismatch(expected, found):
            let name = SealedKind(rawValue: found).map(String.init(describing:)) ?? "unknown kind \(found)"
            return "it holds a \(name), not a \(expected)"
        case let .invalidChunkSize(shift):
            return "its header gives an invalid chunk size (2^\(shift) bytes)"
        case let .authenticationFailed(chunk):
            return "chunk \(chunk) fails authentication (changed, reordered or foreign data, or another object's content)"
        case let .truncated(chunks):
            return "it ends after \(chunks) whole chunk\(chunks == 1 ? "" : "s") without its last chunk (truncated)"
        case let .trailingData(after):
            return "data follows its last chunk (chunk \(after))"
        }
    }
}
