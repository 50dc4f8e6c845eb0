import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The journal of a restore in progress, `REPO/journal/restore-<node>.json`, rewritten
/// atomically before each step (see ``RestoreStep``) and before each rename of a vhost
/// directory. It outlives a killed Warren: the next `backup` or `restore` of that node and
/// `warren check` report it, and `restore --resume` or `--rollback` finish or undo it.
public final class RestoreJournal: @unchecked Sendable {
    /// One vhost directory renamed aside: `from` (in msg_stores) to `to`.
    public struct Move: Sendable, Codable, Equatable {
        public var from: String
        public var to: String
    }

    /// What the file holds.
    public struct Record: Sendable, Codable, Equatable {
        public var node: String
        public var backupId: Int64
        /// The `restore_run` row of this attempt.
        public var runId: Int64?
        public var pid: Int32
        public var host: String
        public var startedAt: String
        public var updatedAt: String
        public var step: RestoreStep
        public var nodeDirectory: String
        /// The base directory for moved-aside data (`--aside-dir`), if given.
        public var asideBase: String?
        /// Vhost directories (under msg_stores/vhosts) this restore writes.
        public var vhostDirs: [String]
        /// Every rename aside, oldest first, including those of earlier attempts that this one resumes.
        public var moves: [Move]
        public var excludedQueues: [String]
        public var excludedVhosts: [String]
        public var allowUnmatched: Bool
    }

    public let path: String
    public private(set) var record: Record

    init(path: String, record: Record) {
        self.path = path
        self.record = record
    }

    /// `REPO/journal/restore-<node>.json`.
    public static func path(repository: String, node: String) -> String {
        repository + "/journal/restore-" + node.replacingOccurrences(of: "/", with: "_") + ".json"
    }

    /// The journal left for `node`, if any.
    public static func load(repository: String, node: String) throws -> RestoreJournal? {
        let path = path(repository: repository, node: node)
        return try AtomicFile.read(Record.self, from: path).map { RestoreJournal(path: path, record: $0) }
    }

    /// Every journal in the repository.
    public static func all(repository: String) throws -> [RestoreJournal] {
        let dir = repository + "/journal"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix("restore-") && $0.hasSuffix(".json") }
        return try names.sorted().compactMap { name in
            try AtomicFile.read(Record.self, from: dir + "/" + name).map { RestoreJournal(path: dir + "/" + name, record: $0) }
        }
    }

    /// Starts a journal for `request` (carrying over the moves of a resumed attempt).
    static func begin(_ request: RestoreRequest, plan: RestorePlan, runID: Int64, repository: String, earlierMoves: [Move]) throws -> RestoreJournal {
        let now = Timestamp.format(Date())
        let record = Record(
            node: request.node, backupId: request.backupID, runId: runID, pid: getpid(), host: LockHolder.hostName,
            startedAt: now, updatedAt: now, step: .importingDefinitions, nodeDirectory: plan.nodeDirectory,
            asideBase: request.asideBase, vhostDirs: plan.vhosts.filter { $0.files > 0 }.map(\.dirName), moves: earlierMoves,
            excludedQueues: request.exclusions.queueGlobs, excludedVhosts: request.exclusions.vhosts,
            allowUnmatched: request.exclusions.allowUnmatched)
        let journal = RestoreJournal(path: path(repository: repository, node: request.node), record: record)
        try journal.save()
        return journal
    }

    /// Records that `step` is about to be taken.
    func enter(_ step: RestoreStep) throws {
        record.step = step
        try save()
    }

    /// Records a rename before it is done.
    func willMove(from: String, to: String) throws {
        record.moves.append(Move(from: from, to: to))
        try save()
    }

    /// The restore finished (or failed before touching any data): nothing to resume.
    public func remove() throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw WarrenError.io(path: path, operation: "remove the restore journal", errno: errno) }
        try? Posix.fsyncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// One line for error messages and `check`.
    public var summary: String {
        let r = record
        var text = "restore of backup \(r.backupId) (pid \(r.pid) on \(r.host), started \(r.startedAt)) stopped at step \(r.step.rawValue)"
        if r.step.touchesData {
            text += "; vhost directories \(r.vhostDirs.joined(separator: ", ")) under \(r.nodeDirectory)/msg_stores/vhosts may be missing or HALF-WRITTEN"
        } else if r.step < .movingAside {
            text += "; no message data was touched (definitions may have been imported)"
        }
        return text
    }

    /// The error that a command touching this node reports.
    public var interruptedError: WarrenError {
        .restoreInterrupted(node: record.node, journal: path, detail: summary)
    }

    private func save() throws {
        record.updatedAt = Timestamp.format(Date())
        let directory = (path as NSString).deletingLastPathComponent
        let repository = (directory as NSString).deletingLastPathComponent
        try RepositoryAccess.of(repositoryPath: repository).makeDirectories(directory)
        try AtomicFile.write(Array(try WarrenJSON.encoder().encode(record)) + Array("\n".utf8), to: path, repository: repository)
    }
}
