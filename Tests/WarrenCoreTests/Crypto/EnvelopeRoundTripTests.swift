import Crypto
import Foundation
import Testing
@testable import WarrenCore

@Suite struct EnvelopeRoundTripTests {
    typealias F = EnvelopeFixture
    static let sizes = [0, 1, F.chunk - 1, F.chunk, F.chunk + 1, 3 * F.chunk, 3 * F.chunk + 5]

    @Test(arguments: SealingAlgorithm.allCases, sizes)
    func roundTrip(_ algorithm: SealingAlgorithm, _ size: Int) throws {
        let cipher = F.cipher(algorithm: algorithm)
        let data = F.random(size)
        let name = F.random(32)
        // Whole, byte by byte, and in odd pieces: the same envelope layout and plaintext.
        for piece in [nil, 1, 1000, F.chunk + 3] as [Int?] {
            let sealed = try F.seal(data, with: cipher, name: name, piece: piece)
            #expect(sealed.count == Int(StreamEncryptor.sealedSize(plaintextSize: Int64(size), chunkShift: F.chunkShift)))
            #expect(sealed[5] == algorithm.rawValue)
            for readPiece in [nil, 1, 17, F.sealedChunk, F.sealedChunk + 1] as [Int?] {
                let opened = F.open(sealed, with: cipher, name: name, piece: readPiece)
                #expect(opened.failure == nil)
                #expect(opened.emitted == data)
            }
        }
    }

    @Test func documentsSealAndOpenInMemory() throws {
        let master = MasterKey.generate()
        let cipher = master.cipher()
        let document = Array(#"{"backup": 42, "files": []}"#.utf8)
        let name = Array("manifests/42".utf8)
        let sealed = cipher.seal(document, kind: .manifest, name: name)
        #expect(sealed.count == EnvelopeHeader.byteCount + document.count + 16)
        #expect(try cipher.open(sealed, kind: .manifest, name: name) == document)
        // Another repository's key opens nothing.
        #expect(throws: DecryptionFailure.authenticationFailed(chunk: 0)) {
            try MasterKey.generate().cipher().open(sealed, kind: .manifest, name: name)
        }
    }

    @Test func sameContentSealsDifferentlyEveryTime() throws {
        let cipher = F.cipher()
        let data = Array("the same message body".utf8)
        let a = try F.seal(data, with: cipher, name: [1])
        let b = try F.seal(data, with: cipher, name: [1])
        #expect(Array(a[8..<40]) != Array(b[8..<40]))  // fresh salt
        #expect(a != b)
        #expect(!Self.contains(a, data))
    }

    @Test func aMegabyteChunkedStreamRoundTripsWithTheDefaultChunkSize() throws {
        let master = MasterKey.generate()
        let cipher = master.cipher()
        let data = F.random(3 << 20 | 12_345)
        let sealed = try F.seal(data, with: cipher, name: [7], piece: 1 << 20)
        #expect(sealed[7] == StreamEncryptor.defaultChunkShift)
        #expect(sealed.count == EnvelopeHeader.byteCount + data.count + 4 * 16)
        #expect(F.open(sealed, with: cipher, name: [7], piece: 4 << 20).emitted == data)
    }

    /// The envelope layout, pinned by a reader written from the documented format alone
    /// (Python's `cryptography`, Tools/crypto-reference.py), so a change of format cannot
    /// pass unnoticed.
    @Test(arguments: SealingAlgorithm.allCases)
    func anIndependentReaderOpensTheEnvelope(_ algorithm: SealingAlgorithm) throws {
        let master = MasterKey.generate()
        let cipher = EnvelopeCipher(encryptionKey: master.encryptionKey, algorithm: algorithm, chunkShift: 12)
        let data = F.random(3 * 4096 + 77)
        let name = master.objectIDKey.id(of: data)
        let dir = TemporaryDirectory()
        let path = dir.file("object")
        try Data(try F.seal(data, with: cipher, kind: .definitions, name: name, piece: 999)).write(to: URL(fileURLWithPath: path))
        let key = master.encryptionKey.withUnsafeBytes { ContentDigest.hex(Array($0)) }
        let result = try CryptoReference.run(["open-envelope", path, key, "definitions", ContentDigest.hex(name)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == ContentDigest.hex(Array(SHA256.hash(data: data))))
        // And it refuses the envelope under another name, as Warren does.
        let wrong = try CryptoReference.run(["open-envelope", path, key, "definitions", ContentDigest.hex(F.random(32))])
        #expect(wrong.status == 1)
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}
