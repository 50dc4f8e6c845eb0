import Crypto
import Foundation

/// Seals a stream of plaintext into an envelope (see ``EnvelopeHeader``), chunk by chunk,
/// holding at most one chunk of plaintext: a file of any size is sealed in bounded memory
/// during the single read pass that also hashes it.
///
/// Layout: the header, then every chunk as ciphertext ‖ 16-byte tag. Every chunk but the
/// last holds exactly ``EnvelopeHeader/chunkSize`` bytes of plaintext; the last holds 0 to
/// chunk-size bytes (0 only when the whole plaintext is empty). Chunk `i` is sealed with
/// the envelope's own key and the nonce `i ‖ last-flag`, so a reader detects truncation,
/// reordering, chunks from other envelopes and appended data.
///
/// Call ``update(_:output:)`` with each piece of plaintext, then ``finish(name:output:)``
/// with the envelope's name (an object's keyed id, a document's name), which is bound into
/// the last chunk. `output` receives the sealed bytes in order.
public final class StreamEncryptor {
    public let header: EnvelopeHeader
    private let headerBytes: [UInt8]
    private let key: SymmetricKey
    private let chunkSize: Int
    private let pending: UnsafeMutableRawBufferPointer
    private var pendingCount = 0
    private var index: UInt64 = 0
    private var headerWritten = false
    private var finished = false
    /// Plaintext bytes consumed so far.
    public private(set) var plaintextByteCount: Int64 = 0
    /// Sealed bytes handed to `output` so far.
    public private(set) var sealedByteCount: Int64 = 0

    /// - Parameter encryptionKey: the repository's encryption key (``MasterKey/encryptionKey``).
    public init(
        encryptionKey: SymmetricKey, kind: SealedKind,
        algorithm: SealingAlgorithm = .aes256GCM, chunkShift: UInt8 = StreamEncryptor.defaultChunkShift
    ) {
        header = EnvelopeHeader(algorithm: algorithm, kind: kind, chunkShift: chunkShift)
        headerBytes = header.bytes
        key = header.envelopeKey(from: encryptionKey)
        chunkSize = header.chunkSize
        pending = .allocate(byteCount: chunkSize, alignment: 64)
    }

    deinit { pending.deallocate() }

    /// 1 MiB chunks: the per-chunk cost of swift-crypto's API (two allocations) is then
    /// negligible, and the tag overhead is 16 bytes per MiB.
    public static let defaultChunkShift: UInt8 = 20

    /// The size of the envelope of `plaintextSize` bytes.
    public static func sealedSize(plaintextSize: Int64, chunkShift: UInt8 = defaultChunkShift) -> Int64 {
        let chunk = Int64(1) << Int64(chunkShift)
        let chunks = max(1, (plaintextSize + chunk - 1) / chunk)
        return Int64(EnvelopeHeader.byteCount) + plaintextSize + chunks * Int64(SealingAlgorithm.tagByteCount)
    }

    /// Consumes `bytes`; hands every chunk that is known not to be the last to `output`.
    public func update(_ bytes: UnsafeRawBufferPointer, output: (UnsafeRawBufferPointer) throws -> Void) throws {
        precondition(!finished, "update after finish")
        try writeHeaderIfNeeded(output)
        plaintextByteCount += Int64(bytes.count)
        var rest = bytes[...]
        while !rest.isEmpty {
            if pendingCount == chunkSize {
                // More plaintext follows, so the held chunk is not the last one.
                try seal(UnsafeRawBufferPointer(pending), last: false, name: [], output: output)
                pendingCount = 0
            }
            if pendingCount == 0 && rest.count > chunkSize {
                // A whole chunk with more after it: seal it in place, without copying.
                let end = rest.startIndex + chunkSize
                try seal(UnsafeRawBufferPointer(rebasing: rest[rest.startIndex..<end]), last: false, name: [], output: output)
                rest = rest[end...]
                continue
            }
            let take = min(chunkSize - pendingCount, rest.count)
            let end = rest.startIndex + take
            UnsafeMutableRawBufferPointer(rebasing: pending[pendingCount..<(pendingCount + take)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: rest[rest.startIndex..<end]))
            pendingCount += take
            rest = rest[end...]
        }
    }

    /// Seals the last chunk, bound to `name`, and hands it to `output`.
    public func finish(name: [UInt8], output: (UnsafeRawBufferPointer) throws -> Void) throws {
        precondition(!finished, "finish called twice")
        try writeHeaderIfNeeded(output)
        try seal(UnsafeRawBufferPointer(rebasing: pending[0..<pendingCount]), last: true, name: name, output: output)
        pendingCount = 0
        finished = true
    }

    private func writeHeaderIfNeeded(_ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !headerWritten else { return }
        headerWritten = true
        try headerBytes.withUnsafeBytes { try output($0) }
        sealedByteCount += Int64(headerBytes.count)
    }

    private func seal(
        _ plaintext: UnsafeRawBufferPointer, last: Bool, name: [UInt8], output: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let sealed = try header.algorithm.seal(
            plaintext, key: key, nonce: EnvelopeHeader.nonce(chunk: index, last: last),
            authenticating: EnvelopeHeader.associatedData(header: headerBytes, last: last, name: name))
        try sealed.withUnsafeBytes { try output($0) }
        sealedByteCount += Int64(sealed.count)
        index += 1
    }
}
