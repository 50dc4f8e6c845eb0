import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The one way objects are read back: plaintext from a plaintext repository, decrypted
/// (every chunk authenticated, the last one and the name checked at the end) from an
/// encrypted one. Callers that write what they read must write it to a temporary file and
/// keep it only when the read returns: a failure can come after some plaintext was handed on.
extension ObjectStore {
    /// Streams the object's plaintext to `body`, `chunk` bytes of the file at a time.
    /// - Throws: ``CryptoError/decryptionFailed(object:kind:failure:)`` (exit 11) naming the
    ///   object when it does not open, or the I/O error.
    public func read(
        _ id: ObjectID, chunk: UnsafeMutableRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let name = name(of: id)
        guard let sealing else {
            try storage.read(name, chunk: chunk, body)
            return
        }
        let reader = sealing.cipher.decryptor(kind: .file, name: sealing.storedID(of: id).bytes)
        do {
            try storage.read(name, chunk: chunk) { part in try reader.update(part, output: body) }
            try reader.finish(output: body)
        } catch let failure as DecryptionFailure {
            throw failure.error(object: "object \(id.hex) (\(describe(id)))", kind: .file)
        }
    }

    /// The whole plaintext of a small object (definitions, queue index files).
    public func readAll(_ id: ObjectID, limit: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: Posix.directAlignment)
        defer { chunk.deallocate() }
        try read(id, chunk: chunk) { part in
            guard out.count + part.count <= limit else {
                throw WarrenError.io(path: describe(id), operation: "read (more than \(limit) bytes)", errno: EFBIG)
            }
            out.append(contentsOf: part)
        }
        return out
    }
}
