import Crypto
import Foundation

/// The AEAD an envelope or key file is sealed with. Both have 256-bit keys, 96-bit nonces
/// and 128-bit tags, so the envelope layout is the same for either.
///
/// AES-256-GCM is the default: measured here (`Tools/bench crypto`), swift-crypto's
/// BoringSSL runs it with VAES/AVX-512 well above ChaCha20-Poly1305. ChaCha20-Poly1305
/// stays readable and selectable for machines without AES instructions.
public enum SealingAlgorithm: UInt8, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case aes256GCM = 1
    case chaCha20Poly1305 = 2

    /// The name used in key files and output.
    public var description: String {
        switch self {
        case .aes256GCM: return "aes-256-gcm"
        case .chaCha20Poly1305: return "chacha20-poly1305"
        }
    }

    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = found
    }

    static let nonceByteCount = 12
    static let tagByteCount = 16

    /// Seals `plaintext`; returns ciphertext followed by the 16-byte tag.
    func seal(
        _ plaintext: UnsafeRawBufferPointer, key: SymmetricKey, nonce: [UInt8], authenticating ad: [UInt8]
    ) throws -> Data {
        switch self {
        case .aes256GCM:
            let box = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(data: nonce), authenticating: ad)
            // `combined` is nonce ‖ ciphertext ‖ tag in one buffer: dropping the nonce is free.
            return box.combined!.dropFirst(Self.nonceByteCount)
        case .chaCha20Poly1305:
            let box = try ChaChaPoly.seal(plaintext, using: key, nonce: ChaChaPoly.Nonce(data: nonce), authenticating: ad)
            return box.combined.dropFirst(Self.nonceByteCount)
        }
    }

    /// Opens ciphertext ‖ tag. Throws (and returns nothing) unless the tag verifies.
    func open(
        _ sealed: UnsafeRawBufferPointer, key: SymmetricKey, nonce: [UInt8], authenticating ad: [UInt8]
    ) throws -> Data {
        precondition(sealed.count >= Self.tagByteCount)
        let cut = sealed.count - Self.tagByteCount
        let ciphertext = UnsafeRawBufferPointer(rebasing: sealed[0..<cut])
        let tag = UnsafeRawBufferPointer(rebasing: sealed[cut...])
        switch self {
        case .aes256GCM:
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
            return try AES.GCM.open(box, using: key, authenticating: ad)
        case .chaCha20Poly1305:
            let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
            return try ChaChaPoly.open(box, using: key, authenticating: ad)
        }
    }
}
