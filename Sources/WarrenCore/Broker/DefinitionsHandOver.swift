import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How a definitions file reaches `rabbitmqctl import_definitions`, which may run as the
/// broker's user (Debian's wrapper uses `su`) or inside a chroot, so it can neither read
/// Warren's private files by path nor always see them.
public enum DefinitionsHandOver: String, Sendable, Equatable {
    /// No file argument: the CLI reads standard input (RabbitMQ 3.x CLIs).
    case standardInput = "stdin"
    /// The file argument `/dev/stdin`: RabbitMQ 4.0.5's CLI never reads standard input
    /// without a file argument and waits forever (rabbitmq-server#13157), but it opens a
    /// path. `/dev/stdin` names the descriptor Warren opened, so no directory has to be
    /// reachable by the broker's user or visible inside a chroot.
    case filePath = "file"

    /// The hand-over a CLI of this version needs: a path from 4.0 on, stdin before.
    public static func forCLI(version: BrokerVersion?) -> DefinitionsHandOver {
        guard let version else { return .filePath }
        return version.atLeast(4, 0) ? .filePath : .standardInput
    }

    /// `rabbitmqctl import_definitions`'s arguments for this hand-over.
    var arguments: [String] {
        switch self {
        case .standardInput: return ["import_definitions"]
        case .filePath: return ["import_definitions", "/dev/stdin"]
        }
    }

    /// Writes `bytes` to a new private file (0600) in `directory`, owned by `owner` (the
    /// broker's user, who reopens it through `/dev/stdin`), runs `body` with its path, and
    /// removes it on every path out.
    static func withPrivateFile<T>(_ bytes: [UInt8], in directory: String, owner: (uid: uid_t, gid: gid_t)?,
                                   _ body: (String) throws -> T) throws -> T {
        let path = directory + "/\(getpid())-import-\(UUID().uuidString).json"  // PID-…: found as stale if the process dies
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WarrenError.io(path: path, operation: "create", errno: errno) }
        defer { unlink(path) }
        do {
            defer { close(fd) }
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
                guard n > 0 else { throw WarrenError.io(path: path, operation: "write", errno: errno) }
                written += n
            }
            if let owner, fchown(fd, owner.uid, owner.gid) != 0 {
                throw WarrenError.io(path: path, operation: "chown to the broker's user", errno: errno)
            }
        }
        return try body(path)
    }
}
