import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// ``RepositoryStorage`` in an S3 bucket: each ``StorageName`` is the object
/// `PREFIX/<name>` (`backups/manifests/00000000000000000042`). A PUT is atomic on S3 (a
/// reader sees the old object or the new one, never a part) and durable when it is answered.
///
/// Put-if-absent uses `If-None-Match: *` when the server honours it (SeaweedFS does, atomically
/// from 4.18; ``probeConditionalWrites()`` checks a server); otherwise HEAD-then-PUT, which two
/// racing writers can both pass, so it is only as safe as content addressing makes it (both
/// write the same bytes). Objects larger than `multipartThreshold` go up in parts.
///
/// The protocol is synchronous; each call blocks its thread while SwiftNIO runs the request
/// (see ``S3Client``), so it is safe from any thread except an event loop's.
public struct S3Storage: RepositoryStorage {
    /// How put-if-absent is done.
    public enum ConditionalPut: String, Sendable, Codable {
        /// `If-None-Match: *`: atomic on the server.
        case ifNoneMatch = "if_none_match"
        /// HEAD, then PUT when absent: a race can let two writers both PUT.
        case headThenPut = "head_then_put"
    }

    public let client: S3Client
    public let location: S3Location
    public let conditionalPut: ConditionalPut
    public let multipartThreshold: Int
    public let partSize: Int
    /// Objects are read in ranged GETs of this many bytes (one range in memory at a time).
    public let readRangeSize: Int
    public let temporaryDirectory: String

    /// - Parameter temporaryDirectory: a local directory, private to this user, where objects
    ///   are written (sealed, in an encrypted repository) before they go up; by default
    ///   `$TMPDIR/warren-<uid>`.
    public init(location: S3Location, credentials: S3Credentials, policy: S3RetryPolicy = .standard,
                conditionalPut: ConditionalPut = .ifNoneMatch, multipartThreshold: Int = 64 << 20, partSize: Int = 16 << 20,
                readRangeSize: Int = 16 << 20, temporaryDirectory: String? = nil) {
        self.location = location
        client = S3Client(endpoint: location.endpoint, bucket: location.bucket, credentials: credentials, policy: policy)
        self.conditionalPut = conditionalPut
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
        self.readRangeSize = max(readRangeSize, 1)
        self.temporaryDirectory = temporaryDirectory
            ?? (FileManager.default.temporaryDirectory.path as NSString).appendingPathComponent("warren-\(getuid())")
    }

    public func key(of name: StorageName) -> String { location.key(name.path) }

    public func describe(_ name: StorageName) -> String { "\(location)/\(name.path)" }

    @discardableResult
    public func put(_ name: StorageName, _ bytes: [UInt8], ifAbsent: Bool) throws -> StoragePutOutcome {
        let key = key(of: name)
        let conditional = ifAbsent && conditionalPut == .ifNoneMatch
        if ifAbsent, !conditional, try client.headObject(key) != nil { return .alreadyPresent }
        let outcome = bytes.count > multipartThreshold
            ? try client.putObjectMultipart(key, bytes, partSize: partSize, ifNoneMatch: conditional)
            : try client.putObject(key, bytes, ifNoneMatch: conditional)
        return outcome == .written ? .written : .alreadyPresent
    }

    public func get(_ name: StorageName) throws -> [UInt8]? { try client.getObject(key(of: name)) }

    public func head(_ name: StorageName) throws -> Int64? { try client.headObject(key(of: name)) }

    /// The names directly under `prefix`: objects, and the "directories" (common prefixes) one
    /// level down, as ``LocalDirectoryStorage`` lists files and subdirectories.
    public func list(prefix: String) throws -> [StorageName] {
        let base = location.key(prefix) + "/"
        return try client.listObjects(prefix: base, delimiter: "/")
            .compactMap { listed -> StorageName? in
                var entry = String(listed.key.dropFirst(base.count))
                if entry.hasSuffix("/") { entry.removeLast() }
                guard listed.key.hasPrefix(base), !entry.isEmpty, !entry.hasPrefix(".") else { return nil }
                return StorageName.listed(prefix: prefix, entry: entry)
            }
            .sorted()
    }

    /// Versions are the listed ETags (else size and LastModified): one LIST, no GET.
    public func listVersions(prefix: String) throws -> [(name: StorageName, version: String?)] {
        let base = location.key(prefix) + "/"
        return try client.listObjects(prefix: base, delimiter: "/")
            .compactMap { listed -> (name: StorageName, version: String?)? in
                let entry = String(listed.key.dropFirst(base.count))
                guard listed.key.hasPrefix(base), listed.size != nil, !entry.isEmpty, !entry.hasPrefix("."), !entry.contains("/") else { return nil }
                let version = listed.etag ?? listed.lastModified.map { "\(listed.size ?? -1)@\($0.timeIntervalSince1970)" }
                return (StorageName.listed(prefix: prefix, entry: entry), version)
            }
            .sorted { $0.name < $1.name }
    }

    public func delete(_ name: StorageName) throws { try client.deleteObject(key(of: name)) }

    /// Uploads `temporary` put-if-absent (an object's name is its content's digest, so one
    /// already there holds these bytes): in one PUT up to `multipartThreshold`, else in parts
    /// read from the file one at a time. Removes the file once the upload is answered.
    public func install(_ temporary: String, as name: StorageName) throws {
        let fd = try Posix.openForReading(temporary)
        defer { close(fd) }
        let size = try Posix.fstatOrThrow(fd, path: temporary).size
        let key = key(of: name)
        let conditional = conditionalPut == .ifNoneMatch
        if !conditional, try client.headObject(key) != nil {
            unlink(temporary)
            return
        }
        if size <= Int64(multipartThreshold) {
            try client.putObject(key, try Self.read(fd, temporary, 0, Int(size)), ifNoneMatch: conditional)
        } else {
            try client.putObjectMultipart(key, size: size, partSize: partSize, ifNoneMatch: conditional) { range in
                try Self.read(fd, temporary, range.lowerBound, range.count)
            }
        }
        unlink(temporary)
    }

    /// Uploads go from memory: a local temporary would only be written to be read back.
    public var installsFromMemory: Bool { true }

    /// Uploads `bytes` put-if-absent (see ``install(_:as:)``), in parts above `multipartThreshold`.
    public func installBytes(_ bytes: [UInt8], as name: StorageName) throws {
        try put(name, bytes, ifAbsent: true)
    }

    private static func read(_ fd: Int32, _ path: String, _ offset: Int64, _ count: Int) throws -> [UInt8] {
        try Posix.readBytes(fd, at: offset, count: count, path: path, shortRead: "read (the file shrank while being uploaded)")
    }

    /// Nothing to do: every PUT is durable when it is answered.
    public func syncInstalled() throws {}

    /// HEAD for the size, then ranged GETs of ``readRangeSize`` bytes (one GET when the object
    /// is smaller), each handed on in `chunk`-sized pieces.
    public func read(_ name: StorageName, chunk: UnsafeMutableRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let key = key(of: name)
        guard let size = try client.headObject(key) else { throw WarrenError.io(path: describe(name), operation: "open", errno: ENOENT) }
        var offset: Int64 = 0
        while offset < size {
            let end = min(offset + Int64(readRangeSize), size)
            let piece = offset == 0 && end == size ? try client.getObject(key) : try client.getObject(key, range: offset..<end)
            guard let piece, piece.count == Int(end - offset) else {
                throw WarrenError.io(path: describe(name), operation: "read (it changed or vanished while being read)", errno: EIO)
            }
            try PackedStorage.deliver(piece, chunk: chunk, body)
            offset = end
        }
    }

    /// Whether the server refuses a second `If-None-Match: *` PUT of one key (HTTP 412): PUTs
    /// a probe object twice under `PREFIX/tmp/`, then deletes it.
    public func probeConditionalWrites() throws -> Bool {
        try probeWriteConditions().ifNoneMatch
    }

    /// Which conditional writes the server honours: a probe object under `PREFIX/tmp/` is
    /// PUT with `If-None-Match: *` twice (the second must be refused, 412), then with
    /// `If-Match` of a wrong ETag (refused) and of its own (written); then it is deleted.
    public func probeWriteConditions() throws -> S3ConditionalWrites {
        let key = location.key("tmp/conditional-write-probe-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? client.deleteObject(key) }
        guard let etag = try client.putObject(key, Array("probe".utf8), condition: .absent) else {
            return S3ConditionalWrites(ifNoneMatch: false, ifMatch: false)
        }
        let ifNoneMatch = try client.putObject(key, Array("probe 2".utf8), condition: .absent) == nil
        var ifMatch = false
        if !etag.isEmpty, try client.putObject(key, Array("probe 3".utf8), condition: .matching(etag: "\"00000000000000000000000000000000\"")) == nil {
            ifMatch = try client.putObject(key, Array("probe 4".utf8), condition: .matching(etag: etag)) != nil
        }
        return S3ConditionalWrites(ifNoneMatch: ifNoneMatch, ifMatch: ifMatch)
    }
}
