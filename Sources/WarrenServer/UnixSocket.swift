import Foundation
import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// The socket file's life: a stale one is replaced, a live one refused; the new socket is
/// bound inside a private (0700) directory, given its mode and group, and only then renamed
/// into place, so no client ever reaches it with the wrong permissions.
public enum UnixSocket {
    public struct Staging: Sendable {
        public var directory: String
        public var socket: String
    }

    static let maxPath = 107  // sun_path holds 108 bytes with the NUL

    public static func groupID(_ name: String) throws -> gid_t {
        if let numeric = gid_t(name) { return numeric }
        guard let entry = getgrnam(name) else {
            throw WarrenError.invalidArgument(name: "--socket-group", reason: "no group named '\(name)'")
        }
        return entry.pointee.gr_gid
    }

    /// Refuses a path answered by a live server or that is not a socket; removes a stale socket.
    public static func prepare(path: String) throws {
        guard path.utf8.count <= maxPath else {
            throw WarrenError.invalidArgument(name: "--socket", reason: "\(path) is longer than \(maxPath) bytes (the limit of a Unix socket path)")
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw WarrenError.invalidArgument(name: "--socket", reason: "\(path) exists and is not a socket; refusing to replace it")
        }
        if isAnswered(path) {
            throw WarrenError.invalidArgument(name: "--socket", reason: "\(path) is answered by a running server (another `warren serve`?); stop it or choose another --socket")
        }
        guard unlink(path) == 0 || errno == ENOENT else { throw WarrenError.io(path: path, operation: "unlink stale socket", errno: errno) }
    }

    /// Whether something accepts connections on the socket at `path`.
    public static func isAnswered(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return connect(fd, path: path)
    }

    static func connect(_ fd: Int32, path: String) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count <= maxPath else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }

    /// A new private directory next to `path` to bind in.
    public static func stagingPath(for path: String) throws -> Staging {
        let parent = (path as NSString).deletingLastPathComponent
        let directory = (parent.isEmpty ? "." : parent) + "/.warren-\(getpid())"
        rmdirTree(directory)
        guard mkdir(directory, 0o700) == 0 else { throw WarrenError.io(path: directory, operation: "mkdir", errno: errno) }
        let socket = directory + "/s"
        guard socket.utf8.count <= maxPath else {
            rmdir(directory)
            throw WarrenError.invalidArgument(name: "--socket", reason: "its directory path is too long for a Unix socket")
        }
        return Staging(directory: directory, socket: socket)
    }

    /// chmod, chown, check, rename into place.
    public static func publish(staging: Staging, final: String, mode: mode_t, gid: gid_t?) throws {
        guard chmod(staging.socket, mode) == 0 else { throw WarrenError.io(path: staging.socket, operation: "chmod", errno: errno) }
        if let gid {
            guard chown(staging.socket, uid_t.max, gid) == 0 else { throw WarrenError.io(path: staging.socket, operation: "chown", errno: errno) }
        }
        var info = stat()
        guard lstat(staging.socket, &info) == 0 else { throw WarrenError.io(path: staging.socket, operation: "stat", errno: errno) }
        guard info.st_mode & 0o7777 == mode, gid.map({ info.st_gid == $0 }) ?? true else {
            throw WarrenError.io(path: staging.socket, operation: "verify mode and group", errno: EPERM)
        }
        guard rename(staging.socket, final) == 0 else { throw WarrenError.io(path: final, operation: "rename socket into place", errno: errno) }
        rmdir(staging.directory)
    }

    public static func discard(_ staging: Staging) {
        unlink(staging.socket)
        rmdir(staging.directory)
    }

    private static func rmdirTree(_ directory: String) {
        unlink(directory + "/s")
        rmdir(directory)
    }
}
