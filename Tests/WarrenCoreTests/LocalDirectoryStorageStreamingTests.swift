import Foundation
import Testing
@testable import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// ``LocalDirectoryStorage``'s streaming half (issue 11, phase 2): `install` renames the
/// caller's temporary file into place (directories made with the repository's modes, the
/// file's own mode kept), `read` hands the file on in chunks, a missing name is ENOENT.
@Suite struct LocalDirectoryStorageStreamingTests {
    @Test func installRenamesAndReadStreamsInChunks() throws {
        let root = TemporaryDirectory()
        let storage = LocalDirectoryStorage(root: root.path, access: .ownerOnly)
        #expect(storage.temporaryDirectory == root.path + "/tmp")
        try Posix.mkdirIfMissing(storage.temporaryDirectory, mode: 0o700)
        let bytes = (0..<(3 << 20) + 11).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let id = bytes.withUnsafeBytes { ObjectStore.digest($0) }
        let temporary = storage.temporaryDirectory + "/incoming.tmp"
        let fd = try Posix.createExclusive(temporary, mode: 0o400)
        try bytes.withUnsafeBytes { try Posix.writeFully(fd, $0, path: temporary) }
        close(fd)

        try storage.install(temporary, as: .object(id))
        try storage.syncInstalled()
        #expect(try Posix.lstatIfExists(temporary) == nil, "the temporary file is consumed")
        let target = storage.path(of: .object(id))
        #expect(target == root.path + "/objects/\(id.hex.prefix(2))/\(id.hex)")
        let st = try #require(try Posix.lstatIfExists(target))
        #expect(st.isRegular && st.size == Int64(bytes.count) && st.mode & 0o777 == 0o400)
        #expect(try Posix.lstatOrThrow(root.path + "/objects/\(id.hex.prefix(2))").mode & 0o7777 == 0o700)

        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { chunk.deallocate() }
        var read: [UInt8] = [], pieces: [Int] = []
        try storage.read(.object(id), chunk: chunk) { part in
            read += part
            pieces.append(part.count)
        }
        #expect(read == bytes)
        #expect(pieces == [1 << 20, 1 << 20, 1 << 20, 11])

        let missing = StorageName.manifest(backupID: 9)
        #expect(throws: WarrenError.io(path: storage.path(of: missing), operation: "open", errno: ENOENT)) {
            try storage.read(missing, chunk: chunk) { _ in }
        }
    }
}
