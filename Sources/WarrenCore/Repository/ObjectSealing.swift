import Foundation

/// How an encrypted repository stores objects: each one sealed in an envelope (kind
/// ``SealedKind/file``, fresh random salt, so a fresh key and nonces, per object) and named
/// by a keyed id.
///
/// The catalog and the manifests keep each file's plain SHA-256 (what `verify --full` and
/// a restore check after decrypting); the object's name in `objects/` is
/// HMAC-SHA256(object id key, plain SHA-256). Without the key nobody can tell from the
/// names whether the repository holds a file whose SHA-256 they know; equal contents still
/// get equal names, so deduplication works; and the name is computed from what the catalog
/// records, so no schema or manifest change is needed. The name is bound into the envelope,
/// so an object moved to another name fails to open.
public struct ObjectSealing: Sendable {
    let cipher: EnvelopeCipher
    let idKey: ObjectIDKey

    public init(master: MasterKey) {
        cipher = master.cipher()
        idKey = master.objectIDKey
    }

    /// The name the object with plain SHA-256 `id` is stored under.
    public func storedID(of id: ObjectID) -> ObjectID {
        ObjectID(bytes: idKey.id(of: id.bytes))!
    }

    /// The size of the envelope of `plainSize` bytes.
    public func storedSize(ofPlain plainSize: Int64) -> Int64 {
        StreamEncryptor.sealedSize(plaintextSize: plainSize, chunkShift: cipher.chunkShift)
    }

    /// The plaintext size of an envelope of `storedSize` bytes (nil if no plaintext size
    /// seals to it).
    public func plainSize(ofStored storedSize: Int64) -> Int64? {
        let body = storedSize - Int64(EnvelopeHeader.byteCount)
        let tag = Int64(SealingAlgorithm.tagByteCount)
        let full = (Int64(1) << Int64(cipher.chunkShift)) + tag
        guard body >= tag else { return nil }
        let chunks = max(1, (body + full - 1) / full)
        let plain = body - chunks * tag
        return plain >= 0 && self.storedSize(ofPlain: plain) == storedSize ? plain : nil
    }
}
