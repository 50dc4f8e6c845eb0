import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// What to do about a restore journal left by a dead process: refuse to touch the node
/// until the operator resumes or rolls back, build the request that resumes it, and roll it
/// back (put the moved-aside data where it was).
public struct RestoreRecovery: Sendable {
    public let repository: Repository

    public init(repository: Repository) {
        self.repository = repository
    }

    /// The request that finishes the interrupted restore into `node`: the same backup,
    /// node directory, aside directory and exclusions, with the target's current data of
    /// those vhosts (half-written or not yet moved) moved aside again. Nothing is deleted.
    /// - Throws: ``WarrenError/invalidArgument(name:reason:)`` when no journal exists.
    public func resumeRequest(node: String, rabbitmqctl: String, timeouts: BrokerTimeouts) throws -> RestoreRequest {
        let journal = try existing(node: node, option: "--resume")
        let r = journal.record
        var request = RestoreRequest(
            backupID: r.backupId, node: node, dataDirectory: r.nodeDirectory,
            exclusions: Exclusions(queueGlobs: r.excludedQueues, vhosts: r.excludedVhosts, allowUnmatched: r.allowUnmatched),
            replaceVhostData: true, rabbitmqctl: rabbitmqctl, asideBase: r.asideBase, brokerTimeouts: timeouts)
        request.resume = true
        return request
    }

    /// Called by the runner before anything else: the moves of the attempt being resumed,
    /// nil when there is no journal. A dry run changes nothing, so it ignores the journal of a
    /// live restore, and a dry run of `--resume` plans from the journal without marking its run.
    /// - Throws: ``WarrenError/restoreInterrupted(node:journal:detail:)`` when a journal exists and
    ///   the request does not resume it.
    func admit(_ request: RestoreRequest) throws -> [RestoreJournal.Move]? {
        guard let journal = try RestoreJournal.load(repository: repository.path, node: request.node) else {
            if request.resume {
                throw WarrenError.invalidArgument(name: "--resume", reason: "no interrupted restore of node \(request.node) is recorded in \(repository.path)/journal")
            }
            return nil
        }
        if request.dryRun && (request.resume || Self.isAlive(journal.record)) { return nil }
        guard request.resume, !request.dryRun else { throw journal.interruptedError }
        try markRunInterrupted(journal, how: "resumed")
        return journal.record.moves
    }

    /// For commands other than restore that touch `node` (`backup`): refuses while an
    /// interrupted restore is recorded for it.
    public func refuseIfInterrupted(node: String) throws {
        if let journal = try RestoreJournal.load(repository: repository.path, node: node) { throw journal.interruptedError }
    }

    /// Undoes the interrupted restore into `node`, holding the write lock: with the app
    /// stopped (and a guard), each vhost directory the restore wrote is moved to
    /// `<aside>/partial-<time>/`, and each moved-aside directory is renamed back, newest first.
    /// Definitions that were imported stay.
    public func rollback(node: String, rabbitmqctl: String, timeouts: BrokerTimeouts, guardLauncher: BrokerGuard.Launcher?,
                         lockOptions: RepositoryLock.Options = RepositoryLock.Options()) throws -> RestoreRollback {
        try repository.withWriteLock(command: "restore", options: lockOptions) {
            let journal = try existing(node: node, option: "--rollback")
            let r = journal.record
            let vhosts = r.nodeDirectory + "/msg_stores/vhosts"
            let partial = AsideStore.directory(repository: repository.path, base: r.asideBase) + "/partial-\(RestorePlanner.stamp())-backup-\(r.backupId)"
            var result = RestoreRollback(node: node, backup: r.backupId, restored: [], setAside: [])
            let broker = BrokerControl(node: node, rabbitmqctl: rabbitmqctl, timeouts: timeouts,
                                       captureDirectory: repository.objects.tempPath)
            let outage = AppOutage(broker: broker, guardLauncher: guardLauncher, repository: repository.path)
            let journalPath = journal.path
            try outage.run(context: { _ in "The rollback stopped part-way; the journal \(journalPath) still holds every move" }) {
                func setAside(_ path: String) throws {
                    guard try Posix.lstatIfExists(path) != nil else { return }
                    try repository.access.makeDirectories(partial)
                    var target = partial + "/" + (path as NSString).lastPathComponent
                    var n = 1
                    while try Posix.lstatIfExists(target) != nil { n += 1; target = partial + "/" + (path as NSString).lastPathComponent + ".\(n)" }
                    try Posix.renameOrThrow(path, target)
                    result.setAside.append(target)
                }
                for move in r.moves.reversed() {
                    guard try Posix.lstatIfExists(move.to) != nil else { continue }
                    try setAside(move.from)
                    try Posix.renameOrThrow(move.to, move.from)
                    result.restored.append(move.from)
                }
                // From `writing` on, a vhost directory that was not moved aside did not exist
                // before: the restore created it. Before that, it is the node's own data.
                let movedBack = Set(r.moves.map(\.from))
                for dir in r.vhostDirs where r.step >= .writing && !movedBack.contains(vhosts + "/" + dir) {
                    try setAside(vhosts + "/" + dir)
                }
                if try Posix.lstatIfExists(vhosts) != nil { try Posix.fsyncDirectory(vhosts) }
            }.get()
            try markRunInterrupted(journal, how: "rolled back")
            try journal.remove()
            return result
        }
    }

    private func existing(node: String, option: String) throws -> RestoreJournal {
        guard let journal = try RestoreJournal.load(repository: repository.path, node: node) else {
            throw WarrenError.invalidArgument(name: option, reason: "no interrupted restore of node \(node) is recorded in \(repository.path)/journal")
        }
        return journal
    }

    private func markRunInterrupted(_ journal: RestoreJournal, how: String) throws {
        guard let run = journal.record.runId else { return }
        try CatalogAccess.write(repository.catalog) { db in
            try db.execute(sql: "UPDATE restore_run SET outcome = 'failed', detail = ?, finished_at = ? WHERE id = ? AND outcome = 'running'",
                           arguments: ["interrupted at step \(journal.record.step.rawValue) (the process died); \(how)", Timestamp.format(Date()), run])
        }
    }

    static func isAlive(_ record: RestoreJournal.Record) -> Bool {
        guard record.host == LockHolder.hostName else { return true }
        return kill(record.pid, 0) == 0 || errno == EPERM
    }
}
