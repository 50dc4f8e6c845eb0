import Crypto
import Foundation
import Testing
@testable import WarrenCore

@Suite struct ContentDigesterTests {
    /// A 32-byte id key and its HMAC-SHA256 of "warren object id test vector", computed
    /// independently with Python's hmac module.
    static var key: SymmetricKey { SymmetricKey(data: Array(0..<32) as [UInt8]) }
    static let message = Array("warren object id test vector".utf8)
    static let expectedHMAC = "01b676f749670b15691a02f0ec470e68d62d123c13d18bbc41fd0133ab701f1c"

    @Test func oneFeedGivesPlainSHA256AndKeyedIDApart() {
        let idKey = ObjectIDKey(key: Self.key)
        var digester = idKey.digester()
        Self.message.withUnsafeBytes { digester.update($0) }
        let digest = digester.finalize()
        #expect(digest.sha256 == Array(SHA256.hash(data: Self.message)))
        #expect(digest.keyedID == idKey.id(of: Self.message))
        #expect(digest.keyedID != digest.sha256)
        #expect(digest.byteCount == Int64(Self.message.count))
    }

    @Test func keyedIDIsHMACSHA256() {
        #expect(ContentDigest.hex(ObjectIDKey(key: Self.key).id(of: Self.message)) == Self.expectedHMAC)
        var digester = ObjectIDKey(key: Self.key).digester()
        Self.message.withUnsafeBytes { digester.update($0) }
        #expect(digester.finalize().keyedID.map(ContentDigest.hex) == Self.expectedHMAC)
    }

    @Test func piecesOfAnySizeGiveTheSameDigestAsOneBuffer() {
        let idKey = ObjectIDKey(key: Self.key)
        var rng = SystemRandomNumberGenerator()
        let data = (0..<(300 << 10)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var whole = idKey.digester()
        data.withUnsafeBytes { whole.update($0) }
        var pieces = idKey.digester()
        var offset = 0
        for size in [0, 1, 7, 65_535, 65_536, 65_537, 100_000] {
            let end = min(offset + size, data.count)
            data[offset..<end].withUnsafeBytes { pieces.update($0) }
            offset = end
        }
        data[offset...].withUnsafeBytes { pieces.update($0) }
        #expect(pieces.finalize() == whole.finalize())
    }

    @Test func anotherKeyGivesAnotherIDForTheSameContent() {
        let a = MasterKey.generate().objectIDKey.id(of: Self.message)
        let b = MasterKey.generate().objectIDKey.id(of: Self.message)
        #expect(a != b)
        #expect(a.count == 32)
    }

    @Test func unencryptedRepositoriesGetPlainSHA256Only() {
        var digester = ContentDigester(idKey: nil)
        Self.message.withUnsafeBytes { digester.update($0) }
        let digest = digester.finalize()
        #expect(digest.keyedID == nil)
        #expect(digest.sha256 == Array(SHA256.hash(data: Self.message)))
    }
}
