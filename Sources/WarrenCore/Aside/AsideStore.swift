import Foundation

/// Data that `restore --replace-vhost-data` moved out of a node's msg_stores: one folder
/// per restore, `<time>-backup-<id>`, in `REPO/aside/` or the `--aside-dir` given. It lives
/// outside the node directory, which RabbitMQ 4.2+ cleans up, and is never deleted except
/// by `warren aside remove`.
public struct AsideStore: Sendable {
    /// One folder of moved-aside data.
    public struct Entry: Sendable, Codable, Equatable {
        public var id: String
        public var path: String
        public var bytes: Int64
        public var files: Int
        /// When it was moved aside (the folder's mtime).
        public var movedAt: String
        public var ageSeconds: Int64
    }

    public let directory: String

    public init(repository: String, base: String? = nil) {
        directory = Self.directory(repository: repository, base: base)
    }

    /// `base`, else `REPO/aside`.
    public static func directory(repository: String, base: String?) -> String {
        base.map(Repository.absolute) ?? repository + "/aside"
    }

    /// Every folder, oldest first.
    public func list() throws -> [Entry] {
        guard try Posix.lstatIfExists(directory)?.isDirectory == true else { return [] }
        return try Posix.listDirectory(directory).filter { !$0.hasPrefix(".") }.compactMap { try entry($0) }
            .sorted { ($0.movedAt, $0.id) < ($1.movedAt, $1.id) }
    }

    /// The folder `id`. Throws ``WarrenError/invalidArgument(name:reason:)`` for an unknown id or one
    /// that is not a plain name.
    public func entry(id: String) throws -> Entry {
        guard !id.isEmpty, !id.contains("/"), id != ".", id != "..", let found = try entry(id) else {
            throw WarrenError.invalidArgument(name: "ID", reason: "no moved-aside data '\(id)' in \(directory) (see `warren aside list`)")
        }
        return found
    }

    /// Deletes the folder `id` and everything in it.
    public func remove(id: String) throws -> Entry {
        let found = try entry(id: id)
        do {
            try FileManager.default.removeItem(atPath: found.path)
        } catch {
            throw WarrenError.stepFailed(step: "removal of moved-aside data \(found.path)", detail: "\(error.localizedDescription); part of it may be gone")
        }
        return found
    }

    private func entry(_ name: String) throws -> Entry? {
        let path = directory + "/" + name
        guard let st = try Posix.lstatIfExists(path), st.isDirectory else { return nil }
        var bytes: Int64 = 0
        var files = 0
        if let walker = FileManager.default.enumerator(atPath: path) {
            while let relative = walker.nextObject() as? String {
                if let f = try? Posix.lstatIfExists(path + "/" + relative), f.isRegular { bytes += f.size; files += 1 }
            }
        }
        let moved = Date(timeIntervalSince1970: Double(st.mtimeNs) / 1e9)
        return Entry(id: name, path: path, bytes: bytes, files: files, movedAt: Timestamp.format(moved),
                     ageSeconds: Int64(max(0, Date().timeIntervalSince(moved))))
    }
}
