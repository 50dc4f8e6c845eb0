import Foundation
import Logging
import WarrenCore

/// A long operation started through the API (`POST /v1/backups`, `…/verify`, `/v1/restores`,
/// `/v1/prune`). Its state, progress and result are read with `GET /v1/jobs/{id}`.
public final class Job: @unchecked Sendable {
    public enum State: String, Sendable, Codable {
        /// Waiting for another job to release the repository lock.
        case waiting
        case running
        case succeeded
        case failed
        case cancelled
        public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
    }

    public let id: Int64
    public let kind: String
    public let needsLock: Bool
    /// What the job works on, for conflict checks (`backup:NODE`, `restore:NODE`, `prune`).
    let conflictKey: String?
    let request: JSONValue
    let createdAt: String
    /// Whether a running job can be stopped (it polls `checkInterrupted`).
    let cancellable: Bool

    private let lock = NSLock()
    private var state: State
    private var startedAt: String?
    private var finishedAt: String?
    private var progress: ProgressSnapshot?
    private var result: JSONValue?
    private var error: APIError?
    private var cancelRequested = false

    init(id: Int64, kind: String, needsLock: Bool, conflictKey: String?, request: JSONValue, cancellable: Bool) {
        self.id = id
        self.kind = kind
        self.needsLock = needsLock
        self.conflictKey = conflictKey
        self.request = request
        self.cancellable = cancellable
        createdAt = Timestamp.format(Date())
        state = needsLock ? .waiting : .running
    }

    var currentState: State { lock.withLock { state } }
    var isCancelRequested: Bool { lock.withLock { cancelRequested } }

    func report(_ snapshot: ProgressSnapshot) { lock.withLock { progress = snapshot } }

    /// Starts unless cancelled while waiting; false means skip.
    func begin() -> Bool {
        lock.withLock {
            guard !cancelRequested, !state.isFinished else { return false }
            state = .running
            startedAt = Timestamp.format(Date())
            return true
        }
    }

    func finish(_ outcome: Result<JSONValue, any Error>) {
        lock.withLock {
            finishedAt = Timestamp.format(Date())
            switch outcome {
            case let .success(value):
                result = value
                state = .succeeded
            case let .failure(failure):
                if cancelRequested, case WarrenError.interrupted? = failure as? WarrenError {
                    state = .cancelled
                } else {
                    state = .failed
                }
                error = APIError.from(failure)
            }
        }
    }

    enum CancelOutcome { case cancelled, requested, finished, notCancellable }

    func cancel() -> CancelOutcome {
        lock.withLock {
            if state.isFinished { return .finished }
            if state == .waiting {
                cancelRequested = true
                state = .cancelled
                finishedAt = Timestamp.format(Date())
                return .cancelled
            }
            guard cancellable else { return .notCancellable }
            cancelRequested = true
            return .requested
        }
    }

    /// Polled by the runners between files.
    func checkInterrupted() throws {
        if isCancelRequested { throw WarrenError.interrupted(detail: "job \(id) cancelled; stopped cleanly") }
    }

    /// The job as the API shows it.
    public struct View: Encodable, Sendable {
        var id: Int64
        var kind: String
        var state: State
        var needsLock: Bool
        var cancelRequested: Bool
        var createdAt: String
        var startedAt: String?
        var finishedAt: String?
        var progress: ProgressSnapshot?
        var request: JSONValue
        var result: JSONValue?
        var error: APIError.Body.Detail?

        enum CodingKeys: String, CodingKey {
            case id, kind, state, needsLock, cancelRequested, createdAt, startedAt, finishedAt, progress, request, result, error
        }

        // Every key present (null when unset), so clients see one shape.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(kind, forKey: .kind)
            try c.encode(state, forKey: .state)
            try c.encode(needsLock, forKey: .needsLock)
            try c.encode(cancelRequested, forKey: .cancelRequested)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(startedAt, forKey: .startedAt)
            try c.encode(finishedAt, forKey: .finishedAt)
            try c.encode(progress, forKey: .progress)
            try c.encode(request, forKey: .request)
            try c.encode(result, forKey: .result)
            try c.encode(error, forKey: .error)
        }
    }

    var view: View {
        lock.withLock {
            View(id: id, kind: kind, state: state, needsLock: needsLock, cancelRequested: cancelRequested, createdAt: createdAt,
                 startedAt: startedAt, finishedAt: finishedAt, progress: progress, request: request, result: result,
                 error: error.map { .init(code: $0.code, message: $0.message, details: $0.details) })
        }
    }
}

/// Runs jobs on threads (WarrenCore's work is blocking I/O). Jobs that take the repository
/// write lock run one at a time, in order, on one queue: the others say `waiting`.
public final class JobManager: @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [Int64: Job] = [:]
    private var nextID: Int64 = 1
    private let lockedQueue = DispatchQueue(label: "warren.jobs.locked")
    private let freeQueue = DispatchQueue(label: "warren.jobs.free", attributes: .concurrent)
    private let group = DispatchGroup()
    private let logger: Logger
    private let metrics: ServiceMetrics?
    /// Finished jobs kept for `GET /v1/jobs` (oldest dropped first).
    static let retained = 500

    public init(logger: Logger, metrics: ServiceMetrics? = nil) {
        self.logger = logger
        self.metrics = metrics
    }

    public var all: [Job] { lock.withLock { jobs.values.sorted { $0.id > $1.id } } }

    public func job(_ id: Int64) -> Job? { lock.withLock { jobs[id] } }

    /// Forgets a finished job (`DELETE /v1/jobs/{id}`); false when it has not finished.
    func remove(finished id: Int64) -> Bool {
        lock.withLock {
            guard let job = jobs[id], job.currentState.isFinished else { return false }
            jobs[id] = nil
            return true
        }
    }

    /// Submits work; `body` gets the job (for progress and cancellation) and returns the result
    /// already encoded as the CLI's JSON.
    func submit(kind: String, needsLock: Bool, conflictKey: String?, request: JSONValue, cancellable: Bool,
                _ body: @escaping @Sendable (Job) throws -> JSONValue) throws -> Job {
        let job: Job = try lock.withLock {
            if let conflictKey, let other = jobs.values.first(where: { $0.conflictKey == conflictKey && !$0.currentState.isFinished }) {
                throw APIError(.conflict, "conflicting_job", "job \(other.id) (\(other.kind)) on the same target is not finished",
                               details: .object(["job": .integer(other.id)]))
            }
            let job = Job(id: nextID, kind: kind, needsLock: needsLock, conflictKey: conflictKey, request: request, cancellable: cancellable)
            nextID += 1
            jobs[job.id] = job
            trim()
            return job
        }
        logger.info("job submitted", metadata: ["job": "\(job.id)", "kind": "\(kind)"])
        let queue = needsLock ? lockedQueue : freeQueue
        let logger = self.logger
        let metrics = self.metrics
        group.enter()
        queue.async { [group] in
            defer { group.leave() }
            guard job.begin() else {
                logger.info("job cancelled before it started", metadata: ["job": "\(job.id)"])
                return
            }
            let start = Date()
            let outcome = Result { try body(job) }
            job.finish(outcome)
            let seconds = Date().timeIntervalSince(start)
            metrics?.jobFinished(kind: kind, state: job.currentState.rawValue, seconds: seconds)
            logger.info("job finished", metadata: [
                "job": "\(job.id)", "kind": "\(kind)", "state": "\(job.currentState.rawValue)",
                "seconds": "\(String(format: "%.3f", seconds))",
            ])
        }
        return job
    }

    private func trim() {
        let finished = jobs.values.filter { $0.currentState.isFinished }.sorted { $0.id < $1.id }
        if finished.count > Self.retained {
            for job in finished.prefix(finished.count - Self.retained) { jobs[job.id] = nil }
        }
    }

    /// Graceful stop: cancel what waits, ask running jobs to stop at their next safe point,
    /// and wait up to `timeout` seconds for them.
    public func shutdown(timeout: Double) {
        for job in all { _ = job.cancel() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            logger.warning("jobs still running at shutdown", metadata: ["timeout": "\(timeout)"])
        }
    }

    /// The CLI's JSON of `value`, as a JSON value to embed in a job.
    static func encoded<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: WarrenJSON.encoder().encode(value))
    }
}
