import Crypto
import Foundation
import _CryptoExtras

/// scrypt's cost parameters (RFC 7914), recorded in every key file so that each key can be
/// opened with the parameters it was made with, and stronger ones chosen later.
public struct ScryptParameters: Sendable, Equatable, Codable, CustomStringConvertible {
    /// CPU/memory cost, a power of two.
    public var n: Int
    /// Block size.
    public var r: Int
    /// Parallelism.
    public var p: Int

    public init(n: Int, r: Int, p: Int) {
        self.n = n
        self.r = r
        self.p = p
    }

    /// The parameters of new keys: N = 2^15, r = 8, p = 1 (32 MiB, restic's and
    /// scrypt's interactive setting). Measured here (`Tools/bench crypto`): well under a
    /// second per unlock on a loaded 2-core machine.
    public static let standard = ScryptParameters(n: 1 << 15, r: 8, p: 1)

    /// Memory scrypt needs, in bytes (BoringSSL's accounting: 128·r·(N + p + 1)).
    public var memoryBytes: Int { 128 * r * (n + p + 1) }

    /// The most a key file may ask for: 1 GiB of memory (RFC 7914's largest test vector),
    /// so that a planted key file cannot make every unlock exhaust the machine.
    public static let memoryLimit = (1 << 30) + (1 << 20)

    public var description: String { "scrypt N=\(n) r=\(r) p=\(p)" }

    /// Why these parameters are unusable, or nil.
    public var problem: String? {
        if n < 2 || n & (n - 1) != 0 { return "N must be a power of two, at least 2 (got \(n))" }
        // swift-crypto (3.12 and 4.5) ignores `maxMemory` and allows 128·N·r·p + one page,
        // which is enough for BoringSSL's 128·r·(N + p + 1) only while r ≤ 16 when p = 1.
        if r < 1 || r > 16 { return "r must be 1…16 (got \(r))" }
        if p < 1 || p > 64 { return "p must be 1…64 (got \(p))" }
        if n > 1 << 24 { return "N must be at most 2^24 (got \(n))" }
        if memoryBytes > Self.memoryLimit { return "they need \(memoryBytes >> 20) MiB, more than the 1 GiB limit" }
        return nil
    }

    /// Derives `count` bytes from `password` and `salt`.
    public func deriveKey(password: Password, salt: [UInt8], count: Int = 32) throws(CryptoError) -> SymmetricKey {
        if let problem { throw .invalidScryptParameters(reason: problem) }
        do {
            return try KDF.Scrypt.deriveKey(
                from: password.bytes, salt: salt, outputByteCount: count, rounds: n, blockSize: r, parallelism: p)
        } catch {
            // BoringSSL only fails here when it cannot allocate the memory.
            throw .keyDerivationFailed(parameters: description)
        }
    }
}
