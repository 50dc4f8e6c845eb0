import Crypto
import Foundation

/// The key that names objects in an encrypted repository: an object's id is
/// HMAC-SHA256(id key, plaintext), so nobody without the key can confirm that the
/// repository holds a file whose plain SHA-256 they know, and equal contents still get
/// equal ids (deduplication keeps working).
// @unchecked: swift-crypto 3.x does not mark SymmetricKey Sendable; it is never mutated here.
public struct ObjectIDKey: @unchecked Sendable {
    let key: SymmetricKey

    public init(key: SymmetricKey) {
        precondition(key.bitCount == 256, "object id keys are 256-bit")
        self.key = key
    }

    /// The keyed id of content held in memory.
    public func id(of bytes: some ContiguousBytes) -> [UInt8] {
        bytes.withUnsafeBytes { Array(HMAC<SHA256>.authenticationCode(for: $0, using: key)) }
    }

    /// A digester that computes the plain SHA-256 and this keyed id in one pass.
    public func digester() -> ContentDigester { ContentDigester(idKey: self) }
}
