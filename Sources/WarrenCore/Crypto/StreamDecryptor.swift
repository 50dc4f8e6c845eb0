import Crypto
import Foundation

/// Opens an envelope written by ``StreamEncryptor``, chunk by chunk, in bounded memory
/// (one sealed chunk plus one byte of look-ahead).
///
/// Each chunk's plaintext is handed to `output` only after its tag verified, but the
/// stream as a whole is good only once ``finish(output:)`` returns: a truncated envelope
/// is detected there. Callers write the output to a temporary file and rename it into
/// place only after `finish` (the same atomic-write rule as every other write), or use
/// ``EnvelopeCipher/open(_:kind:name:)`` for a document held in memory.
///
/// Every failure is a ``DecryptionFailure``; errors thrown by `output` pass through.
public final class StreamDecryptor {
    private let encryptionKey: SymmetricKey
    private let expectedKind: SealedKind
    private let name: [UInt8]
    private var header: EnvelopeHeader?
    private var headerBytes: [UInt8] = []
    private var key: SymmetricKey?
    private var sealedChunkSize = 0
    private var buffer: UnsafeMutableRawBufferPointer?
    private var bufferCount = 0
    private var index: UInt64 = 0
    private var finished = false
    /// Plaintext bytes handed to `output` so far.
    public private(set) var plaintextByteCount: Int64 = 0

    /// - Parameters:
    ///   - kind: the kind the caller expects; another kind in the header is refused.
    ///   - name: the name the envelope must have been sealed for (object id, document name).
    public init(encryptionKey: SymmetricKey, kind: SealedKind, name: [UInt8]) {
        self.encryptionKey = encryptionKey
        expectedKind = kind
        self.name = name
    }

    deinit { buffer?.deallocate() }

    /// Consumes sealed bytes; hands the plaintext of every chunk known not to be the last
    /// (and verified) to `output`.
    public func update(_ bytes: UnsafeRawBufferPointer, output: (UnsafeRawBufferPointer) throws -> Void) throws {
        precondition(!finished, "update after finish")
        var rest = bytes[...]
        if header == nil {
            let need = EnvelopeHeader.byteCount - headerBytes.count
            let take = min(need, rest.count)
            headerBytes += rest.prefix(take)
            rest = rest.dropFirst(take)
            guard headerBytes.count == EnvelopeHeader.byteCount else {
                // Refuse a foreign file as soon as its magic is wrong.
                _ = try parseHeaderPrefix()
                return
            }
            start(try EnvelopeHeader(parsing: headerBytes, expectedKind: expectedKind))
        }
        let whole = sealedChunkSize
        while !rest.isEmpty {
            if bufferCount == whole {
                // A whole sealed chunk and at least one more byte: not the last chunk.
                try openHeld(output: output)
            }
            if bufferCount == 0 && rest.count > whole {
                let end = rest.startIndex + whole
                try openChunk(UnsafeRawBufferPointer(rebasing: rest[rest.startIndex..<end]), output: output)
                rest = rest[end...]
                continue
            }
            let take = min(whole - bufferCount, rest.count)
            let end = rest.startIndex + take
            UnsafeMutableRawBufferPointer(rebasing: buffer![bufferCount..<(bufferCount + take)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: rest[rest.startIndex..<end]))
            bufferCount += take
            rest = rest[end...]
        }
    }

    /// Opens the last chunk. Only when this returns is the whole plaintext authentic and complete.
    public func finish(output: (UnsafeRawBufferPointer) throws -> Void) throws {
        precondition(!finished, "finish called twice")
        finished = true
        guard let header else {
            _ = try parseHeaderPrefix()
            throw DecryptionFailure.truncatedHeader
        }
        guard bufferCount >= SealingAlgorithm.tagByteCount else { throw DecryptionFailure.truncated(chunks: index) }
        let held = UnsafeRawBufferPointer(rebasing: buffer![0..<bufferCount])
        let nonceLast = EnvelopeHeader.nonce(chunk: index, last: true)
        let adLast = EnvelopeHeader.associatedData(header: headerBytes, last: true, name: name)
        if let plain = try? header.algorithm.open(held, key: key!, nonce: nonceLast, authenticating: adLast) {
            try emit(plain, output)
            bufferCount = 0
            return
        }
        // Tell a stream cut at a chunk boundary from a damaged last chunk.
        if bufferCount == sealedChunkSize,
           (try? header.algorithm.open(
               held, key: key!, nonce: EnvelopeHeader.nonce(chunk: index, last: false), authenticating: headerBytes)) != nil {
            throw DecryptionFailure.truncated(chunks: index + 1)
        }
        throw DecryptionFailure.authenticationFailed(chunk: index)
    }

    private func parseHeaderPrefix() throws(DecryptionFailure) -> Bool {
        let magic = EnvelopeHeader.magic
        let n = min(magic.count, headerBytes.count)
        guard Array(headerBytes.prefix(n)) == Array(magic.prefix(n)) else { throw .notSealed }
        return true
    }

    private func start(_ parsed: EnvelopeHeader) {
        header = parsed
        key = parsed.envelopeKey(from: encryptionKey)
        sealedChunkSize = parsed.chunkSize + SealingAlgorithm.tagByteCount
        buffer = .allocate(byteCount: sealedChunkSize, alignment: 64)
    }

    private func openHeld(output: (UnsafeRawBufferPointer) throws -> Void) throws {
        try openChunk(UnsafeRawBufferPointer(rebasing: buffer![0..<bufferCount]), output: output)
        bufferCount = 0
    }

    /// Opens a whole chunk that more data follows (so it must not be the last chunk).
    private func openChunk(_ sealed: UnsafeRawBufferPointer, output: (UnsafeRawBufferPointer) throws -> Void) throws {
        let header = header!
        do {
            let plain = try header.algorithm.open(
                sealed, key: key!, nonce: EnvelopeHeader.nonce(chunk: index, last: false), authenticating: headerBytes)
            try emit(plain, output)
        } catch is CryptoKitError {
            // The last chunk, with bytes after it?
            let adLast = EnvelopeHeader.associatedData(header: headerBytes, last: true, name: name)
            if (try? header.algorithm.open(
                sealed, key: key!, nonce: EnvelopeHeader.nonce(chunk: index, last: true), authenticating: adLast)) != nil {
                throw DecryptionFailure.trailingData(afterChunk: index)
            }
            throw DecryptionFailure.authenticationFailed(chunk: index)
        }
    }

    private func emit(_ plain: Data, _ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        index += 1
        plaintextByteCount += Int64(plain.count)
        try plain.withUnsafeBytes { try output($0) }
    }
}
