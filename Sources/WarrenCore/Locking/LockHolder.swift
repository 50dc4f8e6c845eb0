import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds (or last held) a repository's write lock: the JSON record kept in `REPO/lock`
/// while the lock is held, e.g.
/// `{"command": "prune", "host": "mq1", "pid": 4242, "started_at": "2026-11-21T19:27:13Z"}`.
public struct LockHolder: Sendable, Codable, Equatable {
    public var pid: Int32
    public var host: String
    /// The Warren command holding the lock: `register`, `backup`, `restore`, `prune`, `gc`, `check`.
    public var command: String
    public var startedAt: String

    public init(pid: Int32, host: String, command: String, startedAt: String) {
        self.pid = pid
        self.host = host
        self.command = command
        self.startedAt = startedAt
    }

    /// A record for this process, now.
    static func current(command: String) -> LockHolder {
        LockHolder(pid: getpid(), host: hostName, command: command, startedAt: Timestamp.format(Date()))
    }

    /// This machine's host name (gethostname(2); no DNS lookup).
    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(cString: buffer)
    }

    /// Whether the process named by this record is still running. Only meaningful on the
    /// same host; a record from another host counts as alive (we cannot tell).
    var isAlive: Bool {
        guard host == Self.hostName else { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Parses a record; nil for an empty or unreadable file.
    static func decode(_ bytes: [UInt8]) -> LockHolder? {
        guard !bytes.isEmpty else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(LockHolder.self, from: Data(bytes))
    }

    func encoded() -> [UInt8] {
        Array(((try? WarrenJSON.encoder().encode(self)) ?? Data()) + Data("\n".utf8))
    }
}
