import Foundation

/// What a broker guard did after its parent died, kept in `REPO/guard/<node>.json` so that
/// the next holder of the lock can say whether the broker app was started again.
public struct GuardRecord: Sendable, Codable, Equatable {
    /// `acting` while `start_app` runs, then `started` or `failed`.
    public enum Outcome: String, Sendable, Codable { case acting, started, failed }

    public var node: String
    /// The Warren process that died before saying "done".
    public var parentPid: Int32
    public var host: String
    public var outcome: Outcome
    public var at: String
    public var detail: String

    public init(node: String, parentPid: Int32, host: String, outcome: Outcome, at: String, detail: String) {
        self.node = node
        self.parentPid = parentPid
        self.host = host
        self.outcome = outcome
        self.at = at
        self.detail = detail
    }

    /// `REPO/guard`.
    public static func directory(of repository: String) -> String { repository + "/guard" }

    /// `REPO/guard/<node>.json` (a `/` in the node name becomes `_`).
    public static func path(repository: String, node: String) -> String {
        directory(of: repository) + "/" + node.replacingOccurrences(of: "/", with: "_") + ".json"
    }

    /// Every record in the repository (unreadable ones are skipped).
    public static func all(repository: String) -> [GuardRecord] {
        let dir = directory(of: repository)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: dir + "/" + name) else { return nil }
            return try? WarrenJSON.decoder().decode(GuardRecord.self, from: data)
        }
    }

    /// What to add to a lock take-over message about `previous`: a dead `backup` or
    /// `restore` may have left the broker app stopped; says whether its guard started it.
    public static func takeoverNote(previous: LockHolder, repository: String) -> String? {
        guard ["backup", "restore"].contains(previous.command) else { return nil }
        let mine = all(repository: repository).filter { $0.parentPid == previous.pid && $0.host == previous.host }
        guard let record = mine.last else {
            return "it may have left a broker app stopped (a backup with --stop-app or a restore); its guard left no record, so it was not in a stop_app window or the guard has not acted yet: check with `rabbitmqctl -n NODE status`"
        }
        switch record.outcome {
        case .started: return "it had stopped the broker app of node \(record.node); its guard started it again at \(record.at)"
        case .acting: return "it had stopped the broker app of node \(record.node); its guard is starting it (since \(record.at))"
        case .failed: return "it left the broker app of node \(record.node) STOPPED and its guard could not start it: \(record.detail). Start it with `rabbitmqctl -n \(record.node) start_app`"
        }
    }

    /// Writes atomically (temporary file, fsync, rename).
    func write(to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let repository = (directory as NSString).deletingLastPathComponent
        try RepositoryAccess.of(repositoryPath: repository).makeDirectories(directory)
        try AtomicFile.write(Array(try WarrenJSON.encoder().encode(self)) + Array("\n".utf8), to: path, repository: repository)
    }
}
