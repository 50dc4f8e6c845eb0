import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import WarrenCore

/// The service's jobs: submitted by the controllers and the scheduler, run by
/// ``JobService`` (a service of the service group, so the group owns every running job).
/// Jobs that take the repository write lock run one at a time, in order: the others say
/// `waiting`. Finished jobs stay listed until deleted (the oldest past ``retained`` go).
public final class JobManager: Sendable {
    /// A submitted job and its work (blocking WarrenCore calls, run on a thread pool).
    struct Work: Sendable {
        let job: Job
        let body: @Sendable (Job) throws -> JSONValue
    }

    private struct Registry {
        var jobs: [Int64: Job] = [:]
        var nextID: Int64 = 1
        var accepting = true
    }

    private let registry = NIOLockedValueBox(Registry())
    let submissions: AsyncStream<Work>
    private let continuation: AsyncStream<Work>.Continuation
    let logger: Logger
    let metrics: ServiceMetrics?
    /// Finished jobs kept for `GET /v1/jobs` (oldest dropped first).
    static let retained = 500

    public init(logger: Logger, metrics: ServiceMetrics? = nil) {
        self.logger = logger
        self.metrics = metrics
        (submissions, continuation) = AsyncStream.makeStream(of: Work.self)
    }

    /// Every job, newest first.
    public var all: [Job] { registry.withLockedValue { $0.jobs.values.sorted { $0.id > $1.id } } }

    public func job(_ id: Int64) -> Job? { registry.withLockedValue { $0.jobs[id] } }

    /// Forgets a finished job (`DELETE /v1/jobs/{id}`); false when it has not finished.
    func remove(finished id: Int64) -> Bool {
        registry.withLockedValue {
            guard let job = $0.jobs[id], job.currentState.isFinished else { return false }
            $0.jobs[id] = nil
            return true
        }
    }

    /// Submits work; `body` gets the job (for progress and cancellation) and returns the result
    /// already encoded as the CLI's JSON.
    /// - Throws: 409 `conflicting_job` when an unfinished job has the same `conflictKey`,
    ///   503 `shutting_down` once the service stops.
    func submit(kind: JobKind, needsLock: Bool, node: String?, conflictKey: String?, request: JSONValue, cancellable: Bool,
                _ body: @escaping @Sendable (Job) throws -> JSONValue) throws -> Job {
        let job: Job = try registry.withLockedValue { registry in
            guard registry.accepting else {
                throw APIError(.serviceUnavailable, "shutting_down", "the service is stopping and takes no new jobs")
            }
            if let conflictKey, let other = registry.jobs.values.first(where: { $0.conflictKey == conflictKey && !$0.currentState.isFinished }) {
                throw APIError(.conflict, "conflicting_job", "job \(other.id) (\(other.kind.rawValue)) on the same target is not finished",
                               details: .object(["job": .integer(other.id)]))
            }
            let job = Job(id: registry.nextID, kind: kind, needsLock: needsLock, node: node, conflictKey: conflictKey,
                          request: request, cancellable: cancellable)
            registry.nextID += 1
            registry.jobs[job.id] = job
            let finished = registry.jobs.values.filter { $0.currentState.isFinished }.sorted { $0.id < $1.id }
            for old in finished.dropLast(Self.retained) { registry.jobs[old.id] = nil }
            return job
        }
        logger.info("job submitted", metadata: ["job": "\(job.id)", "kind": "\(kind.rawValue)"])
        continuation.yield(Work(job: job, body: body))
        return job
    }

    /// Graceful stop: no new jobs, cancel what waits, ask running jobs to stop at their next
    /// safe point.
    func stopAccepting() {
        registry.withLockedValue { $0.accepting = false }
        for job in all { _ = job.cancel() }
        continuation.finish()
    }

    /// Runs one job on `pool` (WarrenCore's work is blocking I/O), then logs and counts it.
    func run(_ work: Work, on pool: NIOThreadPool) async {
        let job = work.job
        guard job.begin() else {
            logger.info("job cancelled before it started", metadata: ["job": "\(job.id)"])
            return
        }
        let start = ContinuousClock.now
        let outcome: Result<JSONValue, any Error>
        do {
            outcome = .success(try await pool.runIfActive { try work.body(job) })
        } catch {
            outcome = .failure(error)
        }
        job.finish(outcome)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let state = job.currentState
        metrics?.jobFinished(kind: job.kind, state: state, node: job.node, seconds: seconds)
        var metadata: Logger.Metadata = [
            "job": "\(job.id)", "kind": "\(job.kind.rawValue)", "state": "\(state.rawValue)", "seconds": "\(String(format: "%.3f", seconds))",
        ]
        if let node = job.node { metadata["node"] = "\(node)" }
        if state == .failed, let failure = job.failure {
            metadata["code"] = "\(failure.code)"
            metadata["reason"] = "\(failure.message)"
            // The message has rabbitmqctl's first error line; the log gets all it printed.
            if case let .failure(error) = outcome, let output = (error as? WarrenError)?.rabbitmqctlOutput {
                metadata["rabbitmqctl_output"] = "\(output)"
            }
            logger.error("job failed", metadata: metadata)
        } else {
            logger.info("job finished", metadata: metadata)
        }
    }

    /// The CLI's JSON of `value`, as a JSON value to embed in a job.
    static func encoded<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: WarrenJSON.encoder().encode(value))
    }
}
