import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Small documents written so that a crash leaves either the old or the new content:
/// a temporary file in the repository's private `tmp/`, fsync, rename, fsync of the directory.
///
/// The temporary file is named `PID-UUID.tmp` like the object store's, so that `check`
/// reports and `gc` removes one that a killed writer left (``TemporaryFiles``); it is never
/// left beside the target (where older releases wrote `NAME.tmp-PID`).
enum AtomicFile {
    /// Writes `bytes` to `path`, a file of the repository at `repository` (same file system).
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600, repository: String) throws {
        let temporaryDirectory = repository + "/tmp"
        try Posix.mkdirIfMissing(temporaryDirectory, mode: RepositoryAccess.of(repositoryPath: repository).directoryMode)
        let temporary = temporaryPath(in: temporaryDirectory, pid: getpid())
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw WarrenError.io(path: temporary, operation: "create", errno: errno) }
        do {
            // Exactly `mode`, whatever the umask.
            guard fchmod(fd, mode) == 0 else { throw WarrenError.io(path: temporary, operation: "chmod", errno: errno) }
            try bytes.withUnsafeBytes { try Posix.writeFully(fd, $0, path: temporary) }
            try Posix.fsyncOrThrow(fd, path: temporary)
            close(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        do {
            try Posix.renameOrThrow(temporary, path)
        } catch {
            unlink(temporary)
            throw error
        }
        try Posix.fsyncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// `DIR/PID-UUID.tmp`: the name ``TemporaryFiles`` knows as stale once `pid` is gone.
    static func temporaryPath(in directory: String, pid: pid_t) -> String {
        "\(directory)/\(pid)-\(UUID().uuidString).tmp"
    }

    /// Decodes a snake_case JSON document; nil when the file does not exist.
    static func read<T: Decodable>(_ type: T.Type, from path: String) throws -> T? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try WarrenJSON.decoder().decode(type, from: data)
        } catch {
            throw WarrenError.invalidBackup(path: path, reason: "unreadable Warren record: \(error.localizedDescription)")
        }
    }
}
