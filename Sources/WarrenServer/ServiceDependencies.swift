import Foundation
import WarrenCore

/// What the controllers and the scheduler work on, passed to each of them.
/// (Not `ServiceContext`: that name is apple/swift-service-context's, in the same graph.)
public struct ServiceDependencies: Sendable {
    public let repository: Repository
    public let jobs: JobManager
    public let metrics: ServiceMetrics
    /// rabbitmqctl for backup and restore jobs (tests point it at a wrapper).
    public var rabbitmqctl: String
    /// How long a job waits for an outside holder of the repository lock.
    public var lockTimeout: Double
    /// Started before every `stop_app` of a job, as the CLI does (nil: no guard).
    public var guardLauncher: BrokerGuard.Launcher?
    /// The configuration file's retention policies, above the stored ones.
    public var configuredRetention: ConfiguredRetention?

    public init(repository: Repository, jobs: JobManager, metrics: ServiceMetrics = ServiceMetrics(),
                rabbitmqctl: String = "rabbitmqctl", lockTimeout: Double = 2, guardLauncher: BrokerGuard.Launcher? = nil) {
        self.repository = repository
        self.jobs = jobs
        self.metrics = metrics
        self.rabbitmqctl = rabbitmqctl
        self.lockTimeout = lockTimeout
        self.guardLauncher = guardLauncher
    }

    var queries: CatalogQueries { CatalogQueries(catalog: repository.catalog) }

    var lockOptions: RepositoryLock.Options { RepositoryLock.Options(timeout: lockTimeout) }

    /// A backup runner for a job: guarded, polling the job's cancellation.
    func backupRunner(for job: Job) -> BackupRunner {
        var runner = BackupRunner(repository: repository, checkInterrupted: { try job.checkInterrupted() }, lockOptions: lockOptions)
        runner.guardLauncher = guardLauncher
        return runner
    }

    /// A restore runner for a job: guarded, polling the job's cancellation.
    func restoreRunner(for job: Job) -> RestoreRunner {
        var runner = RestoreRunner(repository: repository, checkInterrupted: { try job.checkInterrupted() }, lockOptions: lockOptions)
        runner.guardLauncher = guardLauncher
        return runner
    }

    /// 409 at once when a process other than this service holds the write lock.
    func refuseIfLockedElsewhere() throws {
        if let holder = RepositoryLock.currentHolder(repository: repository), holder.pid != getpid() || holder.host != LockHolder.hostName {
            throw APIError(WarrenError.lockHeld(path: repository.path, holder: holder, waited: 0))
        }
    }
}
