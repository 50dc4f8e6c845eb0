import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The JSON body of the bucket lock object (`PREFIX/locks/exclusive`, see ``BucketLock``), e.g.
/// `{"command": "prune", "created_at": "2026-12-02T18:00:00.000Z", "expires_at": "…",
/// "host": "mq1", "lease_seconds": 300, "pid": 4242, "refreshed_at": "…",
/// "repository_id": "…", "token": "…"}`. Plaintext even in an encrypted repository, like
/// `config`: it names a host and a process, nothing of the backups.
public struct BucketLockRecord: Sendable, Codable, Equatable {
    public var host: String
    public var pid: Int32
    /// The Warren command holding it: `prune`, `forget`, `gc`.
    public var command: String
    /// The `config` id of the repository it locks (a lock copied from elsewhere is not honoured as ours).
    public var repositoryId: String
    /// When it was taken (RFC 3339 with milliseconds, the holder's clock).
    public var createdAt: String
    /// When the holder last refreshed it, and when its lease runs out unless refreshed
    /// again (the holder's clock; the lease itself is judged by the server's, see ``BucketLock``).
    public var refreshedAt: String
    public var expiresAt: String
    public var leaseSeconds: Double
    /// Random, this holder's alone: a release or refresh touches the object only while it
    /// still holds this token.
    public var token: String

    /// A new record for this process, now.
    static func current(command: String, repositoryID: String, lease: Double, now: Date = Date()) -> BucketLockRecord {
        BucketLockRecord(
            host: LockHolder.hostName, pid: getpid(), command: command, repositoryId: repositoryID,
            createdAt: format(now), refreshedAt: format(now), expiresAt: format(now.addingTimeInterval(lease)),
            leaseSeconds: lease, token: UUID().uuidString.lowercased())
    }

    /// The same record, refreshed at `now`.
    func refreshed(at now: Date = Date()) -> BucketLockRecord {
        var copy = self
        copy.refreshedAt = Self.format(now)
        copy.expiresAt = Self.format(now.addingTimeInterval(leaseSeconds))
        return copy
    }

    /// As the repository lock's holder, for ``WarrenError/lockHeld(path:holder:waited:)``.
    public var holder: LockHolder { LockHolder(pid: pid, host: host, command: command, startedAt: createdAt) }

    /// Parses a body; nil when it is not a lock record.
    public static func decode(_ bytes: [UInt8]) -> BucketLockRecord? {
        try? WarrenJSON.decoder().decode(BucketLockRecord.self, from: Data(bytes))
    }

    public func encoded() throws -> [UInt8] {
        Array(try WarrenJSON.encoder().encode(self)) + Array("\n".utf8)
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
