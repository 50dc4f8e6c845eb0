import Foundation
import Crypto

/// Computes a file's plain SHA-256 and its keyed object id in the same pass over its bytes,
/// so ingest keeps reading every file exactly once. Both hashes walk the data in slices
/// small enough to stay in the CPU cache between the two.
public struct ContentDigester {
    private var sha = SHA256()
    private var mac: HMAC<SHA256>?
    private var count: Int64 = 0
    static let slice = 64 << 10

    /// - Parameter idKey: the repository's id key; nil for an unencrypted repository
    ///   (plain SHA-256 only).
    public init(idKey: ObjectIDKey?) {
        mac = idKey.map { HMAC<SHA256>(key: $0.key) }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        count += Int64(bytes.count)
        guard mac != nil else {
            sha.update(bufferPointer: bytes)
            return
        }
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + Self.slice, bytes.count)
            let part = UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
            sha.update(bufferPointer: part)
            mac!.update(data: part)
            offset = end
        }
    }

    public func finalize() -> ContentDigest {
        ContentDigest(sha256: Array(sha.finalize()), keyedID: mac.map { Array($0.finalize()) }, byteCount: count)
    }
}
