import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads a password file: a regular file (symlinks followed, as for Kubernetes secrets) that
/// other users cannot read, or a pipe such as `<(pass show warren)`. At most 64 KiB.
enum PasswordFile {
    static let sizeLimit = 64 << 10

    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw WarrenError.crypto(.passwordFileUnreadable(path: path, errno: errno)) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw WarrenError.crypto(.passwordFileUnreadable(path: path, errno: errno)) }
        let type = st.st_mode & S_IFMT
        if type == S_IFREG {
            guard st.st_mode & S_IROTH == 0 else {
                throw WarrenError.crypto(.passwordFileExposed(path: path, mode: UInt32(st.st_mode)))
            }
        } else if type != S_IFIFO && type != S_IFCHR {
            throw WarrenError.crypto(.passwordFileInvalid(path: path, reason: "is a \(Posix.Stat(st).typeName), not a file"))
        }
        var bytes = [UInt8](repeating: 0, count: sizeLimit + 1)
        let n: Int
        do {
            n = try bytes.withUnsafeMutableBytes { try Posix.readFully(fd, into: $0, path: path) }
        } catch WarrenError.io(_, _, let code) {
            throw WarrenError.crypto(.passwordFileUnreadable(path: path, errno: code))
        }
        guard n <= sizeLimit else {
            throw WarrenError.crypto(.passwordFileInvalid(path: path, reason: "is larger than 64 KiB: not a password file"))
        }
        return Array(bytes[0..<n])
    }
}
