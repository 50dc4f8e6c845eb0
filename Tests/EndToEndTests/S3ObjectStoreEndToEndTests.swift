import Crypto
import Foundation
import Testing
@testable import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// ``ObjectStore`` over ``S3Storage`` against a real SeaweedFS server (issue 11, phase 2,
/// slice 1): the same ingest, read and removal code as for a local directory, the object's
/// bytes streamed both ways (multipart from the file, ranged GETs back), never whole in memory.
@Suite(.serialized) struct S3ObjectStoreEndToEndTests {
    /// 13 MiB + 5 bytes: three 5 MiB parts up, five 3 MiB ranges down, handed on 1 MiB at a time.
    @Test func objectsStreamThroughTheBucket() throws {
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let bytes = S3StorageEndToEndTests.pseudoRandomBytes(count: (13 << 20) + 5)
        let file = scratch + "/big.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        try SeaweedServer.with("s3-objects") { server in
            let storage = Self.storage(server, prefix: "objs", temporary: scratch + "/tmp")
            let objects = ObjectStore(storage: storage, access: .ownerOnly)
            #expect(!objects.isLocal)
            let buffer = IngestBuffer(capacity: 1 << 20)
            var counted: Int64 = 0
            let stored = try objects.ingestFile(at: file, buffer: buffer) { counted += $0 }
            let id = bytes.withUnsafeBytes { ObjectStore.digest($0) }
            #expect(stored.id == id && stored.size == Int64(bytes.count) && stored.written)
            #expect(counted == Int64(bytes.count))
            #expect(try storage.head(.object(id)) == Int64(bytes.count))
            #expect(try server.client().listObjects(prefix: "objs/objects/").map(\.key) == ["objs/objects/\(id.hex.prefix(2))/\(id.hex)"])
            #expect(try Posix.listDirectory(scratch + "/tmp").isEmpty, "the uploaded temporary file is removed")
            #expect(objects.contains(id, size: Int64(bytes.count)))
            #expect(!objects.contains(id, size: Int64(bytes.count) - 1))
            #expect(objects.describe(id) == "s3:\(server.endpoint)/\(server.bucket)/objs/objects/\(id.hex.prefix(2))/\(id.hex)")

            // Deduplicated: the second ingest uploads nothing.
            #expect(try objects.ingestFile(at: file, buffer: buffer) { _ in }.written == false)

            // Read back in pieces no larger than the caller's chunk.
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
            defer { chunk.deallocate() }
            var hasher = SHA256(), total = 0, largest = 0
            try objects.read(id, chunk: chunk) { part in
                hasher.update(bufferPointer: part)
                total += part.count
                largest = max(largest, part.count)
            }
            #expect(ObjectID(digest: hasher.finalize()) == id && total == bytes.count && largest == 1 << 20)

            // A small object held in memory: one PUT, one GET.
            let small = Array("definitions".utf8)
            let smallID = try small.withUnsafeBytes { try objects.store($0) }.id
            #expect(try objects.readAll(smallID, limit: 100) == small)
            #expect(try objects.find(smallID)?.size == Int64(small.count))

            // Gone: find says so, reading names the object's URL, removal works once.
            #expect(objects.remove(smallID))
            #expect(try objects.find(smallID) == nil)
            #expect(throws: WarrenError.io(path: objects.describe(smallID), operation: "open", errno: ENOENT)) {
                try objects.readAll(smallID, limit: 100)
            }
        }
    }

    /// In an encrypted repository the bucket holds sealed bytes only, under the keyed id; they
    /// decrypt back to the plaintext, and a replaced object is refused (exit 11), not used.
    @Test func encryptedObjectsAreSealedInTheBucket() throws {
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let marker = Array("warren-plaintext-marker-".utf8)
        var bytes: [UInt8] = []
        while bytes.count < (6 << 20) { bytes += marker }
        let file = scratch + "/marked.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        try SeaweedServer.with("s3-sealed") { server in
            let storage = Self.storage(server, prefix: "sealed", temporary: scratch + "/tmp")
            let objects = ObjectStore(storage: storage, access: .ownerOnly, sealing: ObjectSealing(master: .generate()))
            let stored = try objects.ingestFile(at: file, buffer: IngestBuffer(capacity: 1 << 20)) { _ in }
            #expect(stored.written)
            let name = objects.name(of: stored.id)
            #expect(name != .object(stored.id), "named by its keyed id, not its plain SHA-256")
            let key = storage.key(of: name)
            let raw = try #require(try server.client().getObject(key))
            #expect(Int64(raw.count) == objects.storedSize(ofPlain: Int64(bytes.count)))
            #expect(raw.firstRange(of: marker) == nil, "no plaintext in the bucket")
            #expect(try server.client().listObjects(prefix: "sealed/").map(\.key) == [key])

            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
            defer { chunk.deallocate() }
            var plain: [UInt8] = []
            try objects.read(stored.id, chunk: chunk) { plain += $0 }
            #expect(plain == bytes)

            var tampered = raw
            tampered[tampered.count / 2] ^= 1
            try server.client().putObject(key, tampered)
            #expect {
                try objects.read(stored.id, chunk: chunk) { _ in }
            } throws: { error in
                guard case let WarrenError.crypto(.decryptionFailed(object, _, _)) = error else { return false }
                return object.contains(key)
            }
        }
    }

    /// Small parts and ranges, so that a few MiB exercise multipart upload and ranged reads.
    static func storage(_ server: SeaweedServer, prefix: String, temporary: String) -> S3Storage {
        S3Storage(location: server.location(prefix: prefix), credentials: server.credentials,
                  multipartThreshold: S3Client.minimumPartSize, partSize: S3Client.minimumPartSize,
                  readRangeSize: 3 << 20, temporaryDirectory: temporary)
    }

    static func scratchDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/warren-s3objects-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
