import Foundation
import Testing
@testable import WarrenCore

/// Every way an envelope can be damaged or swapped fails with its exact reason, whatever
/// the read pattern, and no plaintext of a failing chunk is ever emitted.
@Suite struct EnvelopeTamperTests {
    typealias F = EnvelopeFixture

    /// 3 whole chunks and a last one of 5 bytes, sealed for `name`.
    struct Sample {
        let cipher = F.cipher()
        let data = F.random(3 * F.chunk + 5)
        let name = F.random(32)
        let sealed: [UInt8]
        init() throws { sealed = try F.seal(data, with: cipher, name: name) }
    }

    static let readPatterns: [Int?] = [nil, 1, 333, F.sealedChunk]

    func expectFailure(
        _ sealed: [UInt8], _ sample: Sample, _ failure: DecryptionFailure,
        kind: SealedKind = .file, name: [UInt8]? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for piece in Self.readPatterns {
            let result = F.open(sealed, with: sample.cipher, kind: kind, name: name ?? sample.name, piece: piece)
            #expect(result.failure == failure, "read in pieces of \(piece.map(String.init) ?? "all")", sourceLocation: sourceLocation)
            // Whatever was emitted is a verified prefix of the plaintext, never more.
            #expect(sample.data.starts(with: result.emitted), sourceLocation: sourceLocation)
            #expect(result.emitted.count < sample.data.count, sourceLocation: sourceLocation)
        }
        #expect(throws: failure, sourceLocation: sourceLocation) {
            try sample.cipher.open(sealed, kind: kind, name: name ?? sample.name)
        }
    }

    func flipped(_ bytes: [UInt8], at offset: Int, with mask: UInt8 = 0x01) -> [UInt8] {
        var copy = bytes
        copy[offset] ^= mask
        return copy
    }

    @Test func headerBytes() throws {
        let s = try Sample()
        expectFailure(flipped(s.sealed, at: 0), s, .notSealed)
        expectFailure(flipped(s.sealed, at: 4, with: 0x03), s, .unsupportedVersion(2))
        expectFailure(flipped(s.sealed, at: 5, with: 0x08), s, .unsupportedAlgorithm(9))
        // The other known algorithm: the header is authenticated, so chunk 0 fails.
        expectFailure(flipped(s.sealed, at: 5, with: 0x03), s, .authenticationFailed(chunk: 0))
        expectFailure(flipped(s.sealed, at: 6, with: 0x02), s, .kindMismatch(expected: .file, found: 3))
        expectFailure(flipped(s.sealed, at: 7, with: 0x01), s, .authenticationFailed(chunk: 0))  // 2^13 chunks
        expectFailure(flipped(s.sealed, at: 7, with: 0x10), s, .invalidChunkSize(shift: 28))
    }

    @Test func saltTheEnvelopesOwnNonce() throws {
        let s = try Sample()
        for offset in [8, 23, 39] {
            expectFailure(flipped(s.sealed, at: offset), s, .authenticationFailed(chunk: 0))
        }
    }

    @Test func ciphertextAndTags() throws {
        let s = try Sample()
        for chunk in 0..<4 {
            let range = F.chunkRange(chunk, in: s.sealed)
            expectFailure(flipped(s.sealed, at: range.lowerBound), s, .authenticationFailed(chunk: UInt64(chunk)))  // ciphertext
            expectFailure(flipped(s.sealed, at: range.upperBound - 1), s, .authenticationFailed(chunk: UInt64(chunk)))  // tag
        }
    }

    @Test func truncation() throws {
        let s = try Sample()
        let lastStart = F.chunkRange(3, in: s.sealed).lowerBound
        expectFailure(Array(s.sealed[..<lastStart]), s, .truncated(chunks: 3))  // cut at a chunk boundary
        expectFailure(Array(s.sealed[..<F.chunkRange(1, in: s.sealed).lowerBound]), s, .truncated(chunks: 1))
        expectFailure(Array(s.sealed.dropLast(1)), s, .authenticationFailed(chunk: 3))  // inside the last chunk
        expectFailure(Array(s.sealed[..<(lastStart + 15)]), s, .truncated(chunks: 3))  // shorter than a tag
        expectFailure(Array(s.sealed[..<F.header]), s, .truncated(chunks: 0))  // the header alone
        expectFailure(Array(s.sealed[..<20]), s, .truncatedHeader)
        expectFailure([], s, .truncatedHeader)
    }

    @Test func chunksReorderedDroppedOrDuplicated() throws {
        let s = try Sample()
        let c = (0..<4).map { Array(s.sealed[F.chunkRange($0, in: s.sealed)]) }
        let head = Array(s.sealed[..<F.header])
        expectFailure(head + c[1] + c[0] + c[2] + c[3], s, .authenticationFailed(chunk: 0))
        expectFailure(head + c[0] + c[2] + c[1] + c[3], s, .authenticationFailed(chunk: 1))
        expectFailure(head + c[0] + c[2] + c[3], s, .authenticationFailed(chunk: 1))  // one dropped
        expectFailure(head + c[0] + c[1] + c[1] + c[2] + c[3], s, .authenticationFailed(chunk: 2))  // one repeated
    }

    @Test func chunkFromAnotherObjectUnderTheSameKey() throws {
        let s = try Sample()
        let other = try F.seal(F.random(s.data.count), with: s.cipher, name: s.name)
        var mixed = s.sealed
        mixed.replaceSubrange(F.chunkRange(1, in: mixed), with: other[F.chunkRange(1, in: other)])
        expectFailure(mixed, s, .authenticationFailed(chunk: 1))
        // Its header too: then every chunk but the swapped one fails.
        var headerSwapped = s.sealed
        headerSwapped.replaceSubrange(0..<F.header, with: other[0..<F.header])
        expectFailure(headerSwapped, s, .authenticationFailed(chunk: 0))
    }

    @Test func anotherObjectOrTheWrongIDAsAssociatedData() throws {
        let s = try Sample()
        // Another object's whole envelope, stored under this object's id: the last chunk
        // binds the id, so it fails there. (Its earlier chunks are authentic chunks of that
        // other object; a streaming reader has written them to a temporary file that is
        // then discarded, because `finish` throws.)
        let otherData = F.random(s.data.count)
        let other = try F.seal(otherData, with: s.cipher, name: F.random(32))
        for piece in Self.readPatterns {
            let result = F.open(other, with: s.cipher, name: s.name, piece: piece)
            #expect(result.failure == .authenticationFailed(chunk: 3))
            #expect(otherData.starts(with: result.emitted) && result.emitted.count < otherData.count)
        }
        #expect(throws: DecryptionFailure.authenticationFailed(chunk: 3)) { try s.cipher.open(other, kind: .file, name: s.name) }
        // This envelope read under another id.
        var wrong = s.name
        wrong[31] ^= 0x80
        expectFailure(s.sealed, s, .authenticationFailed(chunk: 3), name: wrong)
        expectFailure(s.sealed, s, .authenticationFailed(chunk: 3), name: [])
        // Read as another kind.
        expectFailure(s.sealed, s, .kindMismatch(expected: .definitions, found: 1), kind: .definitions)
    }

    @Test func singleChunkObjectUnderAnotherID() throws {
        let cipher = F.cipher()
        let data = Array("a small .queue_name file".utf8)
        let sealed = try F.seal(data, with: cipher, name: [1, 2, 3])
        #expect(F.open(sealed, with: cipher, name: [1, 2, 4]).failure == .authenticationFailed(chunk: 0))
        #expect(F.open(sealed, with: cipher, name: [1, 2, 4]).emitted.isEmpty)
        #expect(F.open(sealed, with: cipher, name: [1, 2, 3]).emitted == data)
    }

    @Test func dataAppendedAfterTheLastChunk() throws {
        let cipher = F.cipher()
        let data = F.random(3 * F.chunk)  // the last chunk is whole
        let sealed = try F.seal(data, with: cipher, name: [9])
        for piece in Self.readPatterns {
            #expect(F.open(sealed + [0], with: cipher, name: [9], piece: piece).failure == .trailingData(afterChunk: 2))
            #expect(F.open(sealed + F.random(F.sealedChunk), with: cipher, name: [9], piece: piece).failure == .trailingData(afterChunk: 2))
        }
        // After a partial last chunk the bytes run into it, so it fails authentication.
        let s = try Sample()
        expectFailure(s.sealed + [0], s, .authenticationFailed(chunk: 3))
    }

    @Test func wrongKeyAndPlaintext() throws {
        let s = try Sample()
        let stranger = F.cipher()
        #expect(F.open(s.sealed, with: stranger, name: s.name).failure == .authenticationFailed(chunk: 0))
        #expect(F.open(s.data, with: s.cipher, name: s.name).failure == .notSealed)
        #expect(F.open(Array("WRN".utf8), with: s.cipher, name: s.name).failure == .truncatedHeader)
        #expect(F.open(Array("WRX".utf8), with: s.cipher, name: s.name).failure == .notSealed)
    }

    @Test func failuresNameTheObjectThroughWarrenError() {
        let error = DecryptionFailure.authenticationFailed(chunk: 2).error(object: "3f9a…", kind: .file)
        #expect(error == .crypto(.decryptionFailed(object: "3f9a…", kind: .file, failure: .authenticationFailed(chunk: 2))))
        #expect(error.exitCode == 11)
        #expect(error.code == "decryption_failed")
        #expect(error.description.hasPrefix("file 3f9a… cannot be decrypted: chunk 2 fails authentication"))
    }
}
