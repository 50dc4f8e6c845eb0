import Crypto
import Foundation

/// A repository's master key: 32 random bytes, created once at `init` and never changed,
/// stored only wrapped in key files (``KeyFile``). Everything else is derived from it with
/// HKDF-SHA256 under distinct labels, as borg keeps separate encryption and id keys:
/// - ``encryptionKey``: seals objects and documents (each envelope then derives its own key);
/// - ``objectIDKey``: names objects (HMAC-SHA256 of their content);
/// - ``fingerprint``: a public check value, recorded in every key file, that tells which
///   key files wrap the same master key (and so belong to the same repository).
// @unchecked: swift-crypto 3.x does not mark SymmetricKey Sendable; it is never mutated here.
public struct MasterKey: @unchecked Sendable {
    static let byteCount = 32

    let secret: SymmetricKey
    /// The key every envelope key is derived from.
    public let encryptionKey: SymmetricKey
    /// The key object ids are computed with.
    public let objectIDKey: ObjectIDKey
    /// 32 hex digits; equal for every key file of one repository.
    public let fingerprint: String

    /// A new random master key (BoringSSL's RNG, seeded by the kernel).
    public static func generate() -> MasterKey {
        MasterKey(secret: SymmetricKey(size: .bits256))
    }

    init(secret: SymmetricKey) {
        precondition(secret.bitCount == Self.byteCount * 8)
        self.secret = secret
        encryptionKey = Self.derive(secret, "encryption", 32)
        objectIDKey = ObjectIDKey(key: Self.derive(secret, "object id", 32))
        fingerprint = Self.derive(secret, "fingerprint", 16).withUnsafeBytes { ContentDigest.hex(Array($0)) }
    }

    init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.init(secret: SymmetricKey(data: bytes))
    }

    var bytes: [UInt8] { secret.withUnsafeBytes { Array($0) } }

    /// A cipher for new envelopes with this key.
    public func cipher(algorithm: SealingAlgorithm = .aes256GCM) -> EnvelopeCipher {
        EnvelopeCipher(encryptionKey: encryptionKey, algorithm: algorithm)
    }

    private static func derive(_ secret: SymmetricKey, _ label: String, _ count: Int) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: secret, salt: Array("warren master key v1".utf8),
            info: Array("warren/v1/\(label)".utf8), outputByteCount: count)
    }
}
