import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An object file of an encrypted repository that no catalog row names (a killed register
/// or backup stored it and never recorded it). Its name is a keyed id, so it cannot be
/// mapped back through the catalog; it is opened instead: when it decrypts under the
/// repository's key, for its own name, and its content's keyed id is that name, it is one
/// of Warren's objects (and ``ObjectDirectory/File`` gives its plain SHA-256 and size, so
/// `gc` deletes it like any unreferenced object). Anything else is left alone and reported.
enum SealedOrphan {
    /// The object stored under `stored`, or nil when the file is not an object of this
    /// repository (foreign, damaged, or not sealed under this key).
    static func identify(_ stored: ObjectID, in store: ObjectStore) -> ObjectDirectory.File? {
        guard let sealing = store.sealing else { return nil }
        let reader = sealing.cipher.decryptor(kind: .file, name: stored.bytes)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { chunk.deallocate() }
        var hasher = SHA256()
        var size: Int64 = 0
        let absorb: (UnsafeRawBufferPointer) -> Void = { part in
            hasher.update(bufferPointer: part)
            size += Int64(part.count)
        }
        if !store.isLocal {
            // A bucket: read through the storage (ranged GETs).
            do {
                try store.storage.read(.object(stored), chunk: chunk) { try reader.update($0, output: absorb) }
                try reader.finish(output: absorb)
            } catch {
                return nil
            }
            let id = ObjectID(digest: hasher.finalize())
            return sealing.storedID(of: id) == stored ? ObjectDirectory.File(id: id, size: size) : nil
        }
        let path = store.objectsPath + "/" + stored.hex.prefix(2) + "/" + stored.hex
        guard let fd = try? Posix.openForReading(path) else { return nil }
        defer { close(fd) }
        do {
            while true {
                let n = try Posix.readFully(fd, into: chunk, path: path)
                if n == 0 { break }
                try reader.update(UnsafeRawBufferPointer(rebasing: chunk[0..<n]), output: absorb)
            }
            try reader.finish(output: absorb)
        } catch {
            return nil
        }
        let id = ObjectID(digest: hasher.finalize())
        guard sealing.storedID(of: id) == stored else { return nil }
        return ObjectDirectory.File(id: id, size: size)
    }
}
