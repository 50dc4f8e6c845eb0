import Foundation
import GRDB

/// `warren export ID DIR`: a plain backup directory (`definitions.json` + `msg_stores/`)
/// that the documented manual procedure restores without Warren. Registering it again
/// yields the same manifest.
public struct Exporter: Sendable {
    public struct Summary: Sendable, Codable {
        public var backup: Int64
        public var directory: String
        public var files: Int
        public var bytes: Int64
    }

    public let repository: Repository

    /// The mode of every exported file, and of every directory export creates.
    public static let fileMode: mode_t = 0o600
    public static let directoryMode: mode_t = 0o700

    public init(repository: Repository) {
        self.repository = repository
    }

    public func export(id: Int64, to rawDirectory: String, progress: ProgressHandler? = nil) throws -> Summary {
        let directory = Repository.absolute(rawDirectory)
        let input = try CatalogAccess.read(repository.catalog) { try VerifyInput.load($0, id: id) }
        guard input.backup.state == .complete, let definitions = input.definitionsObject else {
            throw WarrenError.invalidArgument(name: "ID", reason: "backup \(id) is \(input.backup.state.rawValue); only complete backups can be exported")
        }
        // The one path validator, before anything is created: nothing may land outside DIR.
        if let unsafe = ManifestPathCheck.findings(input).first {
            throw WarrenError.invalidBackup(
                path: unsafe.path ?? "?",
                reason: "backup \(id) cannot be exported, nothing was written: \(unsafe.message)")
        }
        if let st = try Posix.lstatIfExists(directory) {
            guard st.isDirectory, try Posix.listDirectory(directory).isEmpty else {
                throw WarrenError.invalidArgument(name: "DIR", reason: "\(directory) exists and is not an empty directory")
            }
        } else {
            // Parents as the umask makes them; DIR itself is private like everything in it.
            try FileManager.default.createDirectory(atPath: (directory as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Posix.mkdirIfMissing(directory, mode: Self.directoryMode)
        }
        // Definitions hold every user's password hash, store files every message body:
        // 0600 files and 0700 directories, whatever the umask (like the repository).
        let materializer = TreeMaterializer(objects: repository.objects, root: directory, owner: nil,
                                            fileMode: Self.fileMode, directoryMode: Self.directoryMode)
        let files = try input.files.map { (try SafeRelativePath("msg_stores/" + $0.path), $0) }
        try Posix.mkdirIfMissing(directory + "/msg_stores", mode: Self.directoryMode)
        try Posix.mkdirIfMissing(directory + "/msg_stores/vhosts", mode: Self.directoryMode)
        let tracker = ProgressTracker(phase: "exporting", bytesTotal: input.files.reduce(0) { $0 + $1.size }, filesTotal: files.count, handler: progress)
        _ = try Parallel.map(files, workers: Parallel.readBackWorkers, makeState: { IngestBuffer(capacity: 8 << 20) }) { item, buffer in
            try materializer.write(path: item.0, object: item.1.object, size: item.1.size, buffer: buffer)
            tracker.add(bytes: item.1.size, files: 1)
        }
        try IngestBuffer(capacity: 1 << 20).withBuffer { buffer in
            try materializer.write(path: SafeRelativePath("definitions.json"), object: definitions, size: input.definitionsSize ?? 0, buffer: buffer)
        }
        try materializer.syncDirectories()
        return Summary(backup: id, directory: directory, files: materializer.writtenFiles, bytes: materializer.writtenBytes)
    }
}

extension IngestBuffer {
    func withBuffer<T>(_ body: (IngestBuffer) throws -> T) rethrows -> T { try body(self) }
}
