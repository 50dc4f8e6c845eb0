import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `REPO/service.json`: written by `warren serve` while it serves the repository, so that a
/// second `serve`, and `catalog rebuild` (which replaces the catalog file the service holds
/// open), are refused instead of racing it. Other writers share the repository lock with it.
/// A marker whose process is gone (crash, SIGKILL) is ignored and replaced.
public struct ServiceMarker: Sendable, Codable, Equatable {
    public var pid: Int32
    public var host: String
    public var socket: String
    public var startedAt: String

    public init(pid: Int32, host: String, socket: String, startedAt: String) {
        self.pid = pid
        self.host = host
        self.socket = socket
        self.startedAt = startedAt
    }

    public static func path(repository: String) -> String { repository + "/service.json" }

    /// The marker of a live service on this repository, if any.
    public static func live(repository: String) -> ServiceMarker? {
        guard let data = FileManager.default.contents(atPath: path(repository: repository)) else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let marker = try? decoder.decode(ServiceMarker.self, from: data) else { return nil }
        guard marker.host == LockHolder.hostName else { return marker }
        guard marker.pid != getpid() else { return nil }
        return (kill(marker.pid, 0) == 0 || errno == EPERM) ? marker : nil
    }

    /// Writes the marker for this process (atomically: temp file + rename).
    public static func write(repository: String, socket: String) throws {
        let marker = ServiceMarker(pid: getpid(), host: LockHolder.hostName, socket: socket, startedAt: Timestamp.format(Date()))
        let target = path(repository: repository)
        // Readable by the repository's group (0640) or owner only (0600), never by others.
        try AtomicFile.write(Array(try WarrenJSON.encoder().encode(marker)), to: target,
                             mode: RepositoryAccess.of(repositoryPath: repository).fileMode, repository: repository)
    }

    /// Removes the marker if it is this process's own.
    public static func remove(repository: String) {
        let target = path(repository: repository)
        guard let data = FileManager.default.contents(atPath: target),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              (object["pid"] as? NSNumber)?.int32Value == getpid() else { return }
        unlink(target)
    }

    /// Throws ``WarrenError/serviceRunning(socket:pid:)`` when a live service holds the
    /// repository (for the writers that cannot share it: a second `serve`, `catalog rebuild`).
    public static func refuseIfServing(repository: String) throws {
        if let marker = live(repository: repository) {
            throw WarrenError.serviceRunning(socket: marker.socket, pid: marker.pid)
        }
    }
}
