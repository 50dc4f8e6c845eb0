import Foundation

/// `warren backup`: the documented manual procedure done for the operator, in order, with
/// the broker app always running again afterwards and the post-hook always run.
public struct BackupRunner: Sendable {
    public let repository: Repository
    /// Polled between files; throwing from it stops the backup cleanly (Ctrl-C).
    public var checkInterrupted: (@Sendable () throws -> Void)?
    /// How long to wait for the repository's write lock.
    public var lockOptions = RepositoryLock.Options()
    /// Starts a ``BrokerGuard`` before `stop_app` (nil: no guard).
    public var guardLauncher: BrokerGuard.Launcher?
    /// Given how long each phase of the ingest took, once the backup is complete (the CLI
    /// prints it under `-v`).
    public var onTimings: (@Sendable (RegisterTimings) -> Void)?

    public init(repository: Repository, checkInterrupted: (@Sendable () throws -> Void)? = nil,
                lockOptions: RepositoryLock.Options = RepositoryLock.Options()) {
        self.repository = repository
        self.checkInterrupted = checkInterrupted
        self.lockOptions = lockOptions
    }

    /// Takes the backup and returns its id. The repository lock is taken first, so a busy
    /// repository fails before any hook runs or the node is touched.
    /// The checks `run` makes before it touches anything, for a face to call first (the CLI
    /// before it starts, the service before it accepts the job).
    public static func validate(_ request: BackupRequest) throws {
        try BackupNaming.validate(node: request.node, label: request.label)
    }

    public func run(_ request: BackupRequest, progress: ProgressHandler? = nil) throws -> Int64 {
        try Self.validate(request)
        return try repository.withWriteLock(command: "backup", options: lockOptions) {
            try locked(request, progress: progress)
        }
    }

    private func locked(_ request: BackupRequest, progress: ProgressHandler?) throws -> Int64 {
        try Posix.mkdirIfMissing(repository.objects.tempPath, mode: repository.access.directoryMode)
        let broker = BrokerControl(node: request.node, rabbitmqctl: request.rabbitmqctl, timeouts: request.brokerTimeouts,
                                   captureDirectory: repository.objects.tempPath)
        try RestoreRecovery(repository: repository).refuseIfInterrupted(node: request.node)
        var variables = ["WARREN_NODE": request.node, "WARREN_REPO": repository.path, "WARREN_LABEL": request.label ?? ""]
        var outcome: Result<Int64, Error>
        if let pre = request.preHook {
            do {
                try Hook.run(pre, phase: "pre", variables: variables)
                outcome = Result { try take(request, broker: broker, progress: progress) }
            } catch {
                outcome = .failure(error)
            }
        } else {
            outcome = Result { try take(request, broker: broker, progress: progress) }
        }
        if let post = request.postHook {
            variables["WARREN_OUTCOME"] = (try? outcome.get()) != nil ? "succeeded" : "failed"
            variables["WARREN_BACKUP_ID"] = (try? outcome.get()).map(String.init) ?? ""
            // The failure's message (one line for a rabbitmqctl step), empty after a success.
            if case let .failure(error) = outcome { variables["WARREN_ERROR"] = "\(error)" } else { variables["WARREN_ERROR"] = "" }
            do {
                try Hook.run(post, phase: "post", variables: variables)
            } catch {
                // A failed backup's own error matters more; a failed post-hook after a good
                // backup is reported, with the backup kept.
                if case .success = outcome { outcome = .failure(error) }
            }
        }
        return try outcome.get()
    }

    private func take(_ request: BackupRequest, broker: BrokerControl, progress: ProgressHandler?) throws -> Int64 {
        let version = try broker.version()
        var expected: [BrokerControl.QueueInfo] = []
        for vhost in try broker.vhosts() { expected += try broker.queues(vhost: vhost) }
        // Asked before anything is stopped: what stop_app will drop, and the internal
        // exchanges that export_definitions leaves out.
        let survey = try BrokerSurvey.take(broker)
        try StopLossGate.check(survey, request: request)
        let definitionsBytes = try broker.exportDefinitions()
        let definitions = try DefinitionsParser.parse(definitionsBytes, path: "definitions exported from \(request.node)")
        let nodeDirectory = try request.dataDirectory.map(Repository.absolute) ?? broker.dataDirectory()
        let parent = request.rehash ? nil : try CatalogAccess.read(repository.catalog) { try ParentManifest.latest(node: request.node, in: $0) }
        let takenAt = Date()

        let source = IngestSource(
            node: request.node, label: request.label, takenAt: takenAt, origin: .backup, sourcePath: nodeDirectory,
            consistent: request.stopApp, definitionsPath: "definitions exported from \(request.node) (RabbitMQ \(version))",
            definitionsBytes: definitionsBytes, definitions: definitions, msgStoresPath: nodeDirectory + "/msg_stores",
            includeTransient: false, parent: parent, expectedCounts: expected, survey: survey)
        var writer = BackupWriter(repository: repository, reportTimings: onTimings)
        if let check = checkInterrupted {
            writer.beforeEachFile = { @Sendable (_: String) throws -> Void in try check() }
        }

        guard request.stopApp else {
            return try ingest(writer, source, progress: progress)
        }
        try StopPreconditions.backup(nodeDirectory: nodeDirectory, repository: repository, parent: parent)
        try checkInterrupted?()
        let outage = AppOutage(broker: broker, guardLauncher: guardLauncher, repository: repository.path)
        return try outage.run(context: { result in (try? result.get()).map { "Backup \($0) was recorded." } ?? "" }) {
            try ingest(writer, source, progress: progress)
        }.get()
    }

    private func ingest(_ writer: BackupWriter, _ source: IngestSource, progress: ProgressHandler?) throws -> Int64 {
        do {
            return try writer.write(source, progress: progress)
        } catch let error as WarrenError {
            if case .interrupted = error { throw error }
            throw WarrenError.stepFailed(step: "copy of \(source.msgStoresPath)", detail: error.description)
        }
    }
}
