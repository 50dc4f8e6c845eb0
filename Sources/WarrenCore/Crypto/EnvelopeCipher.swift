import Crypto
import Foundation

/// Seals and opens envelopes with a repository's encryption key: streams for objects of
/// any size (``encryptor(kind:)``, ``decryptor(kind:name:)``) and whole buffers for small
/// documents (``seal(_:kind:name:)``, ``open(_:kind:name:)``).
// @unchecked: swift-crypto 3.x does not mark SymmetricKey Sendable; it is never mutated here.
public struct EnvelopeCipher: @unchecked Sendable {
    /// The algorithm new envelopes are sealed with (any known one is opened).
    public var algorithm: SealingAlgorithm
    /// log2 of the chunk size of new envelopes.
    public var chunkShift: UInt8
    private let encryptionKey: SymmetricKey

    public init(
        encryptionKey: SymmetricKey, algorithm: SealingAlgorithm = .aes256GCM,
        chunkShift: UInt8 = StreamEncryptor.defaultChunkShift
    ) {
        self.encryptionKey = encryptionKey
        self.algorithm = algorithm
        self.chunkShift = chunkShift
    }

    /// A new envelope of `kind`, with a fresh random salt.
    public func encryptor(kind: SealedKind) -> StreamEncryptor {
        StreamEncryptor(encryptionKey: encryptionKey, kind: kind, algorithm: algorithm, chunkShift: chunkShift)
    }

    /// A reader for an envelope that must hold `kind` and have been sealed for `name`.
    public func decryptor(kind: SealedKind, name: [UInt8]) -> StreamDecryptor {
        StreamDecryptor(encryptionKey: encryptionKey, kind: kind, name: name)
    }

    /// Seals a document held in memory.
    public func seal(_ plaintext: some ContiguousBytes, kind: SealedKind, name: [UInt8]) -> [UInt8] {
        let sealer = encryptor(kind: kind)
        var out: [UInt8] = []
        plaintext.withUnsafeBytes { bytes in
            out.reserveCapacity(Int(StreamEncryptor.sealedSize(plaintextSize: Int64(bytes.count), chunkShift: chunkShift)))
            // Appending to an array cannot fail, and sealing only fails on a wrong key size.
            try! sealer.update(bytes) { out.append(contentsOf: $0) }
            try! sealer.finish(name: name) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Opens a whole envelope held in memory; returns the plaintext only if every chunk,
    /// the last chunk and the name verify.
    public func open(_ envelope: some ContiguousBytes, kind: SealedKind, name: [UInt8]) throws(DecryptionFailure) -> [UInt8] {
        let reader = decryptor(kind: kind, name: name)
        var out: [UInt8] = []
        do {
            try envelope.withUnsafeBytes { bytes in
                try reader.update(bytes) { out.append(contentsOf: $0) }
                try reader.finish { out.append(contentsOf: $0) }
            }
        } catch let failure as DecryptionFailure {
            throw failure
        } catch {
            preconditionFailure("appending to an array threw \(error)")
        }
        return out
    }
}
