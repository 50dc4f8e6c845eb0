import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import ServiceLifecycle
import WarrenCore

/// Runs the catalog's schedules while serving: each due schedule becomes a `scheduled` job
/// (backup → verify the new backup → prune the node per the stored policy), its outcome
/// recorded on the schedule and its next run set (next slot plus a new jitter). A schedule
/// missed while the service was down is due once at start, not once per missed slot.
/// The schedules are read from the catalog at every tick, so ones added or removed by the
/// CLI while the service runs are seen.
public struct Scheduler: Service {
    let service: ServiceDependencies
    let logger: Logger
    let tick: Double
    /// The clock (tests give their own: nothing waits for wall time).
    let now: @Sendable () -> Date
    /// Calendar times' zone and the random jitter.
    let store: ScheduleStore
    /// Schedules with a job not finished yet.
    private let inFlight = NIOLockedValueBox(Set<Int64>())

    public init(dependencies: ServiceDependencies, logger: Logger, tick: Double = 1, now: @escaping @Sendable () -> Date = { Date() },
                timeZone: TimeZone = .current, randomDelay: (@Sendable (Int64) -> Int64)? = nil) {
        self.service = dependencies
        self.logger = logger
        self.tick = tick
        self.now = now
        var store = ScheduleStore(catalog: dependencies.repository.catalog, timeZone: timeZone)
        if let randomDelay { store.randomDelay = randomDelay }
        self.store = store
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                self.runDue(at: self.now())
                try? await Task.sleep(nanoseconds: UInt64(self.tick * 1e9))
            }
        }
    }

    /// Submits a job for every due schedule that has none running, and sets its next run.
    /// While another process (a CLI writer) holds the repository lock, due runs wait for it
    /// rather than fail on it. Returns the jobs submitted.
    @discardableResult
    public func runDue(at now: Date) -> [Job] {
        let schedules: [Schedule]
        do {
            schedules = try store.list(runs: 0).filter { $0.isDue(at: now) }
        } catch {
            logger.error("could not read schedules", metadata: ["error": "\(error)"])
            return []
        }
        guard !schedules.isEmpty else { return [] }
        if let holder = RepositoryLock.currentHolder(repository: service.repository), holder.pid != getpid() || holder.host != LockHolder.hostName {
            logger.debug("scheduled runs wait for the repository lock", metadata: ["holder_pid": "\(holder.pid)", "holder_command": "\(holder.command)"])
            return []
        }
        var submitted: [Job] = []
        for schedule in schedules {
            let claimed = inFlight.withLockedValue { $0.insert(schedule.id).inserted }
            guard claimed else { continue }
            do {
                submitted.append(try submit(schedule))
                let next = try store.advance(schedule, now: now)
                logger.debug("next scheduled run", metadata: ["schedule": "\(schedule.id)", "at": "\(Timestamp.format(next))"])
            } catch {
                _ = inFlight.withLockedValue { $0.remove(schedule.id) }
                logger.info("scheduled run deferred", metadata: ["schedule": "\(schedule.id)", "reason": "\(error)"])
            }
        }
        return submitted
    }

    private func submit(_ schedule: Schedule) throws -> Job {
        let service = self.service
        let request: JSONValue = .object(["schedule": .integer(schedule.id), "node": .string(schedule.node)])
        let inFlight = self.inFlight
        let job = try service.jobs.submit(kind: .scheduled, needsLock: true, node: schedule.node, conflictKey: "node:" + schedule.node,
                                          request: request, cancellable: true) { job in
            defer { _ = inFlight.withLockedValue { $0.remove(schedule.id) } }
            return try Self.runOnce(schedule, job: job, service: service)
        }
        logger.info("scheduled run submitted", metadata: ["schedule": "\(schedule.id)", "node": "\(schedule.node)", "job": "\(job.id)"])
        return job
    }

    struct RunResult: Encodable {
        var schedule: Int64
        var backup: BackupOutcome
        var verify: VerifyOutput
        var prune: PruneReport?
    }

    static func runOnce(_ schedule: Schedule, job: Job, service: ServiceDependencies) throws -> JSONValue {
        let store = ScheduleStore(catalog: service.repository.catalog)
        let started = Date()
        var backupID: Int64?
        var verdict: Verdict?
        do {
            let request = BackupRequest(node: schedule.node, stopApp: schedule.stopApp, label: schedule.label,
                                        preHook: schedule.preHook, postHook: schedule.postHook, rabbitmqctl: service.rabbitmqctl)
            let id = try service.backupRunner(for: job).run(request, progress: { job.report($0) })
            backupID = id
            let report = try Verifier(repository: service.repository).verify(id: id, progress: { job.report($0) })
            verdict = report.verdict
            var prune: PruneReport?
            let policies = try PolicyStore(catalog: service.repository.catalog).list()
            if policies.contains(where: { $0.node == nil || $0.node == schedule.node })
                || service.configuredRetention?.policy(for: schedule.node) != nil {
                var pruner = Pruner(repository: service.repository)
                pruner.lockOptions = service.lockOptions
                prune = try pruner.prune(PruneRequest(policy: nil, node: schedule.node, dryRun: false, configured: service.configuredRetention))
            }
            try store.record(scheduleID: schedule.id, startedAt: started, outcome: .succeeded, backupID: id, verdict: verdict,
                             removed: prune?.removedCount, error: nil)
            return try JobManager.encoded(RunResult(
                schedule: schedule.id, backup: try BackupOutcome.load(id: id, catalog: service.repository.catalog), verify: VerifyOutput(report), prune: prune))
        } catch {
            try? store.record(scheduleID: schedule.id, startedAt: started, outcome: .failed, backupID: backupID, verdict: verdict,
                              removed: nil, error: "\(error)")
            throw error
        }
    }
}
