import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A bucket's object storage with small objects packed (issue 11, "small files are packed"):
/// an object installed under `objects/…` whose stored size is under ``smallObjectLimit`` is
/// appended to a local pack file instead of being uploaded on its own; a larger one is one
/// object of its own, as before. A pack goes up when it reaches ``packTarget`` bytes and in
/// ``syncInstalled()``: first the pack (`packs/<SHA-256 of the pack>`), then its index
/// (`pack-indexes/<same>`, a ``PackIndex``; sealed in an encrypted repository), so an index
/// never names a pack that is not there. When ``syncInstalled()`` returns, every object
/// installed before it is in the bucket and named by an index (a manifest is written after).
///
/// Reading by name is unchanged for every caller: ``head(_:)``, ``get(_:)`` and
/// ``read(_:chunk:_:)`` of a packed object find it in the indexes (loaded once from the
/// bucket on first use, listed again when an object is not found, so that another host's
/// new packs are seen) and read it with one ranged GET; ``list(prefix:)`` of `objects/…`
/// lists packed objects beside the loose ones, so `gc`, `check` and `verify` see objects by
/// name. The packs are concatenations of objects as stored (sealed, in an encrypted
/// repository): nothing here sees plaintext.
///
/// ``delete(_:)`` of a packed object takes it out of its pack's index: a pack all of whose
/// objects are deleted goes at once (its index first, then the pack); otherwise the index is
/// rewritten without them at the next ``syncInstalled()`` (`gc` calls it). A pack is never
/// rewritten (no repacking): the bytes of its deleted objects stay until all are deleted.
/// A pack without an index (a writer killed between the two PUTs) is garbage: ``survey()``
/// names it, and `gc` deletes it once it is older than the safety window.
///
/// A pack this process uploaded stays open locally (its file unlinked, so nothing is left
/// behind by a crash; at most 256 MiB of them): reads of its objects right after the sync (a
/// register counts its queues from the stored index files) need no GET.
///
/// Thread-safe: the state is behind one lock; a pack's upload holds it (other installs wait).
public final class PackedStorage: RepositoryStorage, @unchecked Sendable {
    /// The bucket: loose objects, packs, and everything that is not an object.
    public let bucket: S3Storage
    /// Where the indexes are put and read: the bucket as documents are (sealing, when the
    /// repository is encrypted).
    let documents: any RepositoryStorage
    /// This host's copies of the indexes, read instead of a GET when their version is listed.
    let indexCache: PackIndexCache?
    /// Objects whose stored size is below this are packed (256 KiB).
    public let smallObjectLimit: Int
    /// A pack is uploaded once it holds this many bytes (16 MiB).
    public let packTarget: Int

    public static let defaultSmallObjectLimit = 256 << 10
    public static let defaultPackTarget = 16 << 20
    /// How many bytes of uploaded packs a process keeps open locally (256 MiB).
    static let keptPackBytes: Int64 = 256 << 20

    /// Where one packed object is.
    struct Location: Sendable, Equatable {
        var pack: String
        var offset: Int64
        var length: Int64
    }

    /// The pack being filled, in a local file.
    private struct OpenPack {
        var path: String
        var fd: Int32
        var size: Int64 = 0
        var hasher = SHA256()
        var members: [PackIndex.Member] = []
        /// Object → index in `members`.
        var positions: [String: Int] = [:]
    }

    private struct State {
        var loaded = false
        /// Pack id → the version (ETag) of the index read; nil where it is not known.
        var versions: [String: String?] = [:]
        var indexes: [String: PackIndex] = [:]
        /// Object → where it is (more than one place when two writers packed it).
        var locations: [String: [Location]] = [:]
        var open: OpenPack?
        /// Pack id → objects deleted from it, its index not yet rewritten.
        var deleted: [String: Set<String>] = [:]
        /// Packs this process uploaded, their (unlinked) local files still open, oldest
        /// first: a register reads its queue index files back right after the sync, and
        /// reads them here instead of with a GET each. At most ``keptPackBytes`` in all.
        var kept: [(id: String, fd: Int32, size: Int64)] = []
        var keptBytes: Int64 = 0
    }

    private let lock = NSLock()
    private var state = State()

    /// - Parameters:
    ///   - bucket: the bucket's object storage.
    ///   - documents: the bucket as the repository's documents see it
    ///     (``SealedDocumentStorage/wrapping(_:keyRing:)`` of the same bucket).
    ///   - indexCacheDirectory: where this host keeps copies of the indexes (the catalog
    ///     cache's `pack-indexes/`); nil: every process reads every index from the bucket.
    public init(bucket: S3Storage, documents: any RepositoryStorage, indexCacheDirectory: String? = nil,
                smallObjectLimit: Int = PackedStorage.defaultSmallObjectLimit, packTarget: Int = PackedStorage.defaultPackTarget) {
        self.bucket = bucket
        self.documents = documents
        indexCache = indexCacheDirectory.map(PackIndexCache.init(directory:))
        self.smallObjectLimit = smallObjectLimit
        self.packTarget = packTarget
    }

    deinit {
        if let open = state.open {
            close(open.fd)
            unlink(open.path)
        }
        for kept in state.kept { close(kept.fd) }
    }

    public var temporaryDirectory: String { bucket.temporaryDirectory }

    public func describe(_ name: StorageName) -> String { bucket.describe(name) }

    @discardableResult
    public func put(_ name: StorageName, _ bytes: [UInt8], ifAbsent: Bool) throws -> StoragePutOutcome {
        try bucket.put(name, bytes, ifAbsent: ifAbsent)
    }

    // MARK: - Reading

    public func head(_ name: StorageName) throws -> Int64? {
        guard let hex = name.objectHex else { return try bucket.head(name) }
        if let length = try withLock({ try packedLength(hex) }) { return length }
        return try bucket.head(name)
    }

    /// A small object is only ever written into a pack: the indexes (and the open pack) say
    /// whether it is there, with no HEAD (20,000 new small files were 20,000 HEADs). One that
    /// another host packed since the indexes were read is packed again: a second copy, which
    /// readers and gc handle (an object may be in two packs).
    public func holds(_ name: StorageName, storedSize: Int64) throws -> Bool {
        guard let hex = name.objectHex, storedSize < Int64(smallObjectLimit) else { return try head(name) == storedSize }
        return try withLock { try packedLength(hex) } == storedSize
    }

    public func get(_ name: StorageName) throws -> [UInt8]? {
        guard let hex = name.objectHex else { return try bucket.get(name) }
        if let bytes = try packedBytes(hex, refreshing: false) { return bytes }
        if let bytes = try bucket.get(name) { return bytes }
        return try packedBytes(hex, refreshing: true)
    }

    public func read(_ name: StorageName, chunk: UnsafeMutableRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let hex = name.objectHex else { return try bucket.read(name, chunk: chunk, body) }
        if let bytes = try packedBytes(hex, refreshing: false) { return try Self.deliver(bytes, chunk: chunk, body) }
        do {
            try bucket.read(name, chunk: chunk, body)
        } catch let WarrenError.io(path, operation, code) where code == ENOENT {
            guard let bytes = try packedBytes(hex, refreshing: true) else { throw WarrenError.io(path: path, operation: operation, errno: code) }
            try Self.deliver(bytes, chunk: chunk, body)
        }
    }

    /// The names under `prefix`; under `objects` and `objects/ab`, the packed objects too.
    public func list(prefix: String) throws -> [StorageName] {
        let loose = try bucket.list(prefix: prefix)
        guard prefix == StorageName.objectsPrefix || prefix.hasPrefix(StorageName.objectsPrefix + "/") else { return loose }
        let packed = try withLock { () -> Set<String> in
            try ensureLoaded()
            let objects = Set(state.locations.keys).union(state.open.map { Array($0.positions.keys) } ?? [])
            if prefix == StorageName.objectsPrefix { return Set(objects.map { String($0.prefix(2)) }) }
            let fanout = String(prefix.dropFirst(StorageName.objectsPrefix.count + 1))
            return objects.filter { $0.hasPrefix(fanout) && fanout.utf8.count == 2 }
        }
        var names = Set(loose)
        for entry in packed { names.insert(StorageName.listed(prefix: prefix, entry: entry)) }
        return names.sorted()
    }

    public func listVersions(prefix: String) throws -> [(name: StorageName, version: String?)] {
        guard prefix == StorageName.objectsPrefix || prefix.hasPrefix(StorageName.objectsPrefix + "/") else {
            return try bucket.listVersions(prefix: prefix)
        }
        return try list(prefix: prefix).map { ($0, nil) }
    }

    // MARK: - Writing

    /// A small object goes into the open pack (the file is consumed); anything else, and
    /// every name that is not an object, is installed in the bucket as it is.
    public func install(_ temporary: String, as name: StorageName) throws {
        guard let hex = name.objectHex else { return try bucket.install(temporary, as: name) }
        let size = try Posix.lstatIfExists(temporary)?.size ?? -1
        guard size >= 0, size < Int64(smallObjectLimit) else { return try bucket.install(temporary, as: name) }
        let fd = try Posix.openForReading(temporary)
        defer { close(fd) }
        let bytes = try Posix.readBytes(fd, at: 0, count: Int(size), path: temporary, shortRead: "read (the file changed size while being packed)")
        try pack(hex, bytes)
        unlink(temporary)
    }

    /// Uploads go from memory, as the bucket's do.
    public var installsFromMemory: Bool { true }

    /// As ``install(_:as:)``, from memory: a small object goes into the open pack.
    public func installBytes(_ bytes: [UInt8], as name: StorageName) throws {
        guard let hex = name.objectHex, bytes.count < smallObjectLimit else { return try bucket.installBytes(bytes, as: name) }
        try pack(hex, bytes)
    }

    /// Appends a small object to the open pack (unless packed already), and uploads the
    /// pack once it is full.
    private func pack(_ hex: String, _ bytes: [UInt8]) throws {
        try withLock {
            try ensureLoaded()
            if state.locations[hex] != nil || state.open?.positions[hex] != nil { return }
            try append(hex, bytes)
            if let open = state.open, open.size >= Int64(packTarget) { try uploadOpenPack() }
        }
    }

    /// Uploads the open pack and its index, rewrites the indexes objects were deleted from,
    /// and returns when all of it is answered.
    public func syncInstalled() throws {
        try withLock {
            try uploadOpenPack()
            try rewriteShrunkIndexes()
        }
        try bucket.syncInstalled()
    }

    /// Takes a packed object out of its pack's index (see the type's notes); a loose one is
    /// deleted.
    public func delete(_ name: StorageName) throws {
        guard let hex = name.objectHex else { return try bucket.delete(name) }
        let wasPacked = try withLock { () -> Bool in
            try ensureLoaded()
            var packed = false
            if var open = state.open, let position = open.positions[hex] {
                // Its bytes stay in the local file; no index will name them.
                open.members.remove(at: position)
                open.positions = Dictionary(uniqueKeysWithValues: open.members.enumerated().map { ($1.object, $0) })
                state.open = open
                packed = true
            }
            for location in state.locations.removeValue(forKey: hex) ?? [] {
                packed = true
                state.deleted[location.pack, default: []].insert(hex)
                if let index = state.indexes[location.pack], state.deleted[location.pack]?.count == index.members.count {
                    try deletePack(location.pack)
                }
            }
            return packed
        }
        if !wasPacked { try bucket.delete(name) }
    }

    // MARK: - Surveys (gc, check)

    /// One listing of `packs/`, every index listed again (new and changed ones read).
    public func survey() throws -> Survey {
        let base = bucket.location.key(StorageName.packsPrefix) + "/"
        var packs: [String: ListedPack] = [:]
        for listed in try bucket.client.listObjects(prefix: base) {
            let name = StorageName.listed(prefix: StorageName.packsPrefix, entry: String(listed.key.dropFirst(base.count)))
            guard let id = name.packID, let size = listed.size else { continue }
            packs[id] = ListedPack(id: id, size: size, modified: listed.lastModified)
        }
        return try withLock {
            try refresh()
            var survey = Survey()
            for (id, index) in state.indexes.sorted(by: { $0.key < $1.key }) {
                guard let pack = packs[id] else {
                    survey.packless.append(id)
                    continue
                }
                for member in index.members { survey.objects.append((member.object, member.length, pack.modified)) }
            }
            survey.unindexed = packs.values.filter { state.indexes[$0.id] == nil }.sorted { $0.id < $1.id }
            return survey
        }
    }

    /// Deletes a pack no index names (``Survey/unindexed``).
    public func deleteUnindexedPack(_ id: String) throws {
        try withLock {
            guard state.indexes[id] == nil else { return }
            try bucket.delete(.pack(id))
        }
    }

    // MARK: - Private (the lock held)

    private func withLock<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// The indexes are listed again at the next look (a pack another host's gc deleted is
    /// then forgotten, and its objects no longer count as stored).
    public func forgetListings() {
        lock.lock()
        defer { lock.unlock() }
        state.loaded = false
    }

    private func ensureLoaded() throws {
        if !state.loaded { try refresh() }
    }

    /// Lists the indexes; reads those not read before or changed since, forgets those gone.
    private func refresh() throws {
        let listed = try bucket.listVersions(prefix: StorageName.packIndexesPrefix)
        var seen = Set<String>()
        for (name, version) in listed {
            guard let id = name.packID else { continue }
            seen.insert(id)
            if state.indexes[id] != nil, let known = state.versions[id], let known, known == version { continue }
            if let version, let cached = indexCache?.bytes(of: id, version: version),
               let index = try? PackIndex.decode(cached, name: describe(name), expectedPack: id) {
                replace(id, with: index, version: version)
                continue
            }
            guard let bytes = try documents.get(name) else { continue }
            replace(id, with: try PackIndex.decode(bytes, name: describe(name), expectedPack: id), version: version)
            if let version { indexCache?.store(bytes, of: id, version: version) }
        }
        for id in state.indexes.keys where !seen.contains(id) { replace(id, with: nil, version: nil) }
        indexCache?.retain(only: seen)
        state.loaded = true
    }

    /// Puts `index` (nil: none) in place of what was known of pack `id`.
    private func replace(_ id: String, with index: PackIndex?, version: String?) {
        if let old = state.indexes[id] {
            for member in old.members {
                state.locations[member.object]?.removeAll { $0.pack == id }
                if state.locations[member.object]?.isEmpty == true { state.locations[member.object] = nil }
            }
        }
        state.indexes[id] = index
        state.versions[id] = index == nil ? nil : .some(version)
        if index == nil { state.deleted[id] = nil }
        // Objects deleted from it whose index is not rewritten yet stay deleted.
        let dead = state.deleted[id] ?? []
        for member in index?.members ?? [] where !dead.contains(member.object) {
            state.locations[member.object, default: []].append(Location(pack: id, offset: member.offset, length: member.length))
        }
    }

    private func packedLength(_ hex: String) throws -> Int64? {
        try ensureLoaded()
        if let open = state.open, let position = open.positions[hex] { return open.members[position].length }
        return state.locations[hex]?.first?.length
    }

    /// The packed object's bytes: from the open pack's local file or a pack this process
    /// uploaded and still holds open (``keptPackBytes``), else one ranged GET. nil when no
    /// index (after listing them again, with `refreshing`) names it.
    private func packedBytes(_ hex: String, refreshing: Bool) throws -> [UInt8]? {
        enum Found { case none, local([UInt8]), remote(Location) }
        let found = try withLock { () -> Found in
            if refreshing { try refresh() } else { try ensureLoaded() }
            if let open = state.open, let position = open.positions[hex] {
                let member = open.members[position]
                return .local(try Posix.readBytes(open.fd, at: member.offset, count: Int(member.length),
                                                  path: "object \(hex) from the pack being written (\(open.path))"))
            }
            guard let location = state.locations[hex]?.first else { return .none }
            if let kept = state.kept.first(where: { $0.id == location.pack }) {
                return .local(try Posix.readBytes(kept.fd, at: location.offset, count: Int(location.length),
                                                  path: "object \(hex) from this process's copy of pack \(location.pack)"))
            }
            return .remote(location)
        }
        switch found {
        case .none: return nil
        case let .local(bytes): return bytes
        case let .remote(location):
            guard location.length > 0 else { return [] }
            let key = bucket.key(of: .pack(location.pack))
            guard let bytes = try bucket.client.getObject(key, range: location.offset..<(location.offset + location.length)) else {
                throw WarrenError.io(path: describe(.pack(location.pack)),
                                     operation: "read object \(hex) (its pack, named by an index, is not in the bucket)", errno: ENOENT)
            }
            return bytes
        }
    }

    private func append(_ hex: String, _ bytes: [UInt8]) throws {
        if state.open == nil {
            try Posix.mkdirIfMissing(temporaryDirectory, mode: 0o700)
            let path = "\(temporaryDirectory)/\(getpid())-pack-\(UUID().uuidString).tmp"
            // Read and write: objects are read back from it (and from it once uploaded).
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { throw WarrenError.io(path: path, operation: "create", errno: errno) }
            state.open = OpenPack(path: path, fd: fd)
        }
        guard var open = state.open else { return }
        try bytes.withUnsafeBytes { try Posix.writeFully(open.fd, $0, path: open.path) }
        open.hasher.update(data: bytes)
        open.positions[hex] = open.members.count
        open.members.append(PackIndex.Member(object: hex, offset: open.size, length: Int64(bytes.count)))
        open.size += Int64(bytes.count)
        state.open = open
    }

    /// Uploads the open pack (put-if-absent: its name is its content's digest), then its index.
    private func uploadOpenPack() throws {
        guard let open = state.open else { return }
        state.open = nil
        var keep = false
        defer {
            if !keep { close(open.fd) }
            unlink(open.path)
        }
        guard !open.members.isEmpty else { return }
        try Posix.fsyncOrThrow(open.fd, path: open.path)
        let id = ContentDigest.hex(Array(open.hasher.finalize()))
        try bucket.install(open.path, as: .pack(id))
        let index = PackIndex(pack: id, packSize: open.size, members: open.members)
        try documents.put(.packIndex(id), try index.encoded(), ifAbsent: false)
        replace(id, with: index, version: nil)
        // The file is unlinked (by the upload); its descriptor stays open for reads.
        keep = true
        state.kept.append((id, open.fd, open.size))
        state.keptBytes += open.size
        while state.keptBytes > Self.keptPackBytes, !state.kept.isEmpty {
            let oldest = state.kept.removeFirst()
            close(oldest.fd)
            state.keptBytes -= oldest.size
        }
    }

    /// Rewrites each index objects were deleted from without them (deletes it and its pack
    /// when nothing is left).
    private func rewriteShrunkIndexes() throws {
        for (id, dead) in state.deleted.sorted(by: { $0.key < $1.key }) {
            guard var index = state.indexes[id] else {
                state.deleted[id] = nil
                continue
            }
            index.members.removeAll { dead.contains($0.object) }
            if index.members.isEmpty {
                try deletePack(id)
            } else {
                try documents.put(.packIndex(id), try index.encoded(), ifAbsent: false)
                state.deleted[id] = nil
                replace(id, with: index, version: nil)
            }
        }
    }

    /// The index first (so no index names a missing pack), then the pack.
    private func deletePack(_ id: String) throws {
        if let at = state.kept.firstIndex(where: { $0.id == id }) {
            close(state.kept[at].fd)
            state.keptBytes -= state.kept[at].size
            state.kept.remove(at: at)
        }
        try documents.delete(.packIndex(id))
        replace(id, with: nil, version: nil)
        try bucket.delete(.pack(id))
    }

    /// Hands `bytes` to `body` at most `chunk.count` at a time, as
    /// ``RepositoryStorage/read(_:chunk:_:)`` promises (also S3Storage's ranged reads).
    static func deliver(_ bytes: [UInt8], chunk: UnsafeMutableRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try bytes.withUnsafeBytes { whole in
            var start = 0
            while start < whole.count {
                let n = min(chunk.count, whole.count - start)
                try body(UnsafeRawBufferPointer(rebasing: whole[start..<(start + n)]))
                start += n
            }
        }
    }
}
