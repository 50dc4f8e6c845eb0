import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Small documents written so that a crash leaves either the old or the new content:
/// a temporary file beside the target, fsync, rename, fsync of the directory.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
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
        try Posix.renameOrThrow(temporary, path)
        try Posix.fsyncDirectory((path as NSString).deletingLastPathComponent)
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
