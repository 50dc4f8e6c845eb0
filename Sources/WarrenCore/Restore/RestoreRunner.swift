import Foundation
import GRDB

/// `warren restore`: verify against the target, refuse to merge stores, import definitions
/// before any file is copied, stop the app, write the files, start the app (always), and
/// compare every queue's count with what the backup expects.
public struct RestoreRunner: Sendable {
    public let repository: Repository
    /// Polled between files; throwing stops the copy (the app is still started again).
    public var checkInterrupted: (@Sendable () throws -> Void)?
    /// How long to wait for the repository's write lock (not taken for a dry run).
    public var lockOptions = RepositoryLock.Options()
    /// Starts a ``BrokerGuard`` before `stop_app` (nil: no guard).
    public var guardLauncher: BrokerGuard.Launcher?

    public init(repository: Repository, checkInterrupted: (@Sendable () throws -> Void)? = nil,
                lockOptions: RepositoryLock.Options = RepositoryLock.Options()) {
        self.repository = repository
        self.checkInterrupted = checkInterrupted
        self.lockOptions = lockOptions
    }

    /// The checks `run` makes before it talks to the broker, for a face to call first: the
    /// node's name, the backup exists, every exclusion matches something in it.
    public func validate(_ request: RestoreRequest) throws {
        try BackupNaming.validate(node: request.node, label: nil)
        _ = try CatalogQueries(catalog: repository.catalog).summary(id: request.backupID)
        _ = try ExclusionCheck.check(request.exclusions, backup: request.backupID, catalog: repository.catalog)
    }

    public func run(_ request: RestoreRequest, progress: ProgressHandler? = nil) throws -> RestoreResult {
        try validate(request)
        // The lock keeps prune from deleting the backup while it is being restored.
        if request.dryRun { return try locked(request, progress: progress) }
        return try repository.withWriteLock(command: "restore", options: lockOptions) {
            try locked(request, progress: progress)
        }
    }

    private func locked(_ request: RestoreRequest, progress: ProgressHandler?) throws -> RestoreResult {
        try Posix.mkdirIfMissing(repository.objects.tempPath, mode: repository.access.directoryMode)
        let broker = BrokerControl(node: request.node, rabbitmqctl: request.rabbitmqctl, timeouts: request.brokerTimeouts,
                                   captureDirectory: repository.objects.tempPath)
        let earlierMoves = try RestoreRecovery(repository: repository).admit(request)
        let targetVersion = try broker.version()
        let nodeDirectory = try request.dataDirectory.map(Repository.absolute) ?? broker.dataDirectory()
        let planned = try RestorePlanner(repository: repository).plan(request, broker: broker, targetVersion: targetVersion, nodeDirectory: nodeDirectory)
        let plan = planned.plan
        var result = RestoreResult(plan: plan, dryRun: request.dryRun, outcome: "planned", filesWritten: 0, bytesWritten: 0, movedAside: [], queues: [])
        if request.dryRun { return result }

        guard plan.verdict != .notViable else {
            let errors = plan.findings.filter { $0.severity == .error }.map { "[\($0.code.rawValue)] \($0.message)" }
            throw WarrenError.restoreRefused(reason: "backup \(request.backupID) is not viable on RabbitMQ \(targetVersion):\n  " + errors.joined(separator: "\n  "))
        }
        if !plan.occupiedVhosts.isEmpty && !request.replaceVhostData {
            throw WarrenError.restoreRefused(reason: "the target already holds messages in vhost(s) \(plan.occupiedVhosts.map { "'\($0)'" }.joined(separator: ", ")); two message stores cannot be merged. Drain or delete those queues first, or pass --replace-vhost-data to move the existing data aside (it is kept, never deleted)")
        }
        try StopPreconditions.restore(nodeDirectory: plan.nodeDirectory, bytes: plan.bytes, aside: plan.asideDirectory, repository: repository)
        let runID = try recordStart(request)
        let journal = try RestoreJournal.begin(request, plan: plan, runID: runID, repository: repository.path, earlierMoves: earlierMoves ?? [])
        do {
            result = try execute(request, planned: planned, broker: broker, result: result, journal: journal, progress: progress)
            try recordEnd(runID, outcome: result.outcome, detail: "\(result.filesWritten) files, \(result.bytesWritten) bytes")
            try journal.remove()
            return result
        } catch {
            try? recordEnd(runID, outcome: "failed", detail: "\(error)")
            // Kept while a vhost may be half-written: the next command reports it, --resume/--rollback act on it.
            if !journal.record.step.touchesData { try? journal.remove() }
            throw error
        }
    }

    private func execute(_ request: RestoreRequest, planned: RestorePlanner.Output, broker: BrokerControl,
                         result initial: RestoreResult, journal: RestoreJournal, progress: ProgressHandler?) throws -> RestoreResult {
        var result = initial
        let plan = planned.plan
        // 1. Definitions first: a vhost created on a running node wipes queue data copied in before it.
        // What RabbitMQ's own export gets wrong, repaired first (issue 16 §3); then classic
        // queues with their type explicit, through a file where the CLI needs one (4.x).
        // Temporaries are named PID-…, so one left by a killed restore is found as stale.
        repository.objects.removeStaleTemporaries()
        let owner = try Posix.lstatOrThrow(plan.nodeDirectory)
        let exported = try repository.objects.readAll(planned.definitionsObject, limit: Registrar.definitionsLimit)
        var repaired = try DefinitionsRepair.repair(exported, internalExchanges: planned.internalExchanges)
        // RabbitMQ 4.x refuses the whole import for a policy with ha-* keys (issue 15).
        if let version = BrokerVersion(plan.targetVersion), version >= BrokerVersion("4.0.0")! {
            let stripped = try MirroringStrip.strip(repaired.bytes)
            repaired = (stripped.bytes, repaired.changes + stripped.changes)
        }
        result.definitionsRepairs = repaired.changes
        let definitions = try ClassicTypePinning(definitions: repaired.bytes)
        result.classicTypePinned = definitions.pinned.count
        let handOver = DefinitionsHandOver.forCLI(version: try broker.cliVersion())
        try checkInterrupted?()
        // What the node holds before the import: a failure from here on says what changed.
        let before = try TargetSnapshot.take(broker, vhosts: planned.definedVhosts)
        try journal.enter(.importingDefinitions)
        do {
            try broker.importDefinitions(definitions.bytes, handOver: handOver, temporaryDirectory: repository.objects.tempPath, owner: (owner.uid, owner.gid))
            try DefinitionsWait.untilPresent(vhosts: planned.definedVhosts, queues: planned.durableQueues, broker: broker)
        } catch {
            throw ImportFailure.report(error, before: before, broker: broker, request: request, definedVhosts: planned.definedVhosts)
        }

        // 2. Stop the app; from here on it is started again whatever happens, by this process
        // or, if it dies, by the guard.
        try checkInterrupted?()
        try journal.enter(.stoppingApp)
        let materializer = TreeMaterializer(objects: repository.objects, root: plan.nodeDirectory + "/msg_stores", owner: .init(uid: owner.uid, gid: owner.gid))
        let outage = AppOutage(broker: broker, guardLauncher: guardLauncher, repository: repository.path)
        let copy = try outage.run(context: { _ in "Files written: \(materializer.writtenFiles) of \(plan.files); " + journal.summary + ". Finish with `warren restore --resume --node \(request.node)` or undo with --rollback" }) { () throws -> [String] in
            try journal.enter(.movingAside)
            let aside = try moveAside(plan, journal: journal)
            try journal.enter(.writing)
            let tracker = ProgressTracker(phase: "restoring", bytesTotal: plan.bytes, filesTotal: plan.files, handler: progress)
            let check = checkInterrupted
            _ = try Parallel.map(planned.files.map { ($0.path, $0.file.object, $0.file.size) }, workers: Parallel.readBackWorkers, makeState: { IngestBuffer(capacity: 8 << 20) }) { item, buffer in
                try check?()
                try materializer.write(path: item.0, object: item.1, size: item.2, buffer: buffer)
                tracker.add(bytes: item.2, files: 1)
            }
            try materializer.syncDirectories()
            try journal.enter(.written)
            return aside
        }
        result.filesWritten = materializer.writtenFiles
        result.bytesWritten = materializer.writtenBytes
        switch copy {
        case let .success(aside):
            result.movedAside = aside
        case let .failure(error):
            let done = "Wrote \(materializer.writtenFiles) of \(plan.files) files (\(materializer.writtenBytes) of \(plan.bytes) bytes); the definitions were imported and the broker app was started again. Vhost(s) \(journal.record.vhostDirs.joined(separator: ", ")) may be HALF-WRITTEN (journal \(journal.path)): finish with `warren restore --resume --node \(request.node)` or undo with `warren restore --rollback --node \(request.node)`"
            if case let .interrupted(detail)? = error as? WarrenError {
                throw WarrenError.interrupted(detail: "\(detail). \(done)")
            }
            throw WarrenError.stepFailed(step: "copy of backup \(request.backupID) into \(plan.nodeDirectory)/msg_stores", detail: "\(error). \(done)")
        }
        try journal.enter(.checking)

        // 3. Post-check against the counts expected at backup time.
        let expected = try CatalogAccess.read(repository.catalog) { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT vhost, queue, type, messages FROM expected_count WHERE backup_id = ?", arguments: [request.backupID])
                .map { ([$0["vhost"] as String, $0["queue"] as String], (type: $0["type"] as String?, messages: $0["messages"] as Int)) },
                uniquingKeysWith: { a, _ in a })
        }
        result.queues = try PostCheck.compare(plan: plan, expected: expected, broker: broker)
        result.outcome = result.queues.contains { PostCheck.failing.contains($0.status) } ? "short" : "succeeded"
        return result
    }

    /// Moves each target vhost directory that will be written to `asideDirectory` (or, when it
    /// holds no messages, to a dated folder beside it), so the restored directory is exactly
    /// the backup's. Nothing is deleted.
    private func moveAside(_ plan: RestorePlan, journal: RestoreJournal) throws -> [String] {
        var moved: [String] = []
        let aside = plan.asideDirectory ?? AsideStore.directory(repository: repository.path, base: nil) + "/\(RestorePlanner.stamp())-backup-\(plan.backup)"
        for vhost in plan.vhosts where vhost.files > 0 {
            let source = plan.nodeDirectory + "/msg_stores/vhosts/" + vhost.dirName
            guard try Posix.lstatIfExists(source) != nil else { continue }
            try repository.access.makeDirectories(aside)
            try journal.willMove(from: source, to: aside + "/" + vhost.dirName)
            try Posix.renameOrThrow(source, aside + "/" + vhost.dirName)
            moved.append(aside + "/" + vhost.dirName)
        }
        if !moved.isEmpty { try Posix.fsyncDirectory(plan.nodeDirectory + "/msg_stores/vhosts") }
        return moved
    }

    private func recordStart(_ request: RestoreRequest) throws -> Int64 {
        try CatalogAccess.write(repository.catalog) { db in
            try db.execute(sql: "INSERT INTO restore_run (backup_id, node, started_at, outcome) VALUES (?, ?, ?, 'running')",
                           arguments: [request.backupID, request.node, Timestamp.format(Date())])
            return db.lastInsertedRowID
        }
    }

    private func recordEnd(_ id: Int64, outcome: String, detail: String) throws {
        try CatalogAccess.write(repository.catalog) { db in
            try db.execute(sql: "UPDATE restore_run SET outcome = ?, detail = ?, finished_at = ? WHERE id = ?",
                           arguments: [outcome, detail, Timestamp.format(Date()), id])
        }
    }
}
