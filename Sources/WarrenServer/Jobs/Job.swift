import Foundation
import NIOConcurrencyHelpers
import WarrenCore

/// A long operation started through the API (`POST /v1/backups`, `…/verify`, `/v1/restores`,
/// `/v1/prune`, a schedule). Its state, progress and result are read with `GET /v1/jobs/{id}`.
/// The fixed facts are constants; what changes is behind one lock.
public final class Job: Sendable {
    public let id: Int64
    public let kind: JobKind
    public let needsLock: Bool
    /// The node the job works on, for conflict checks and the failure counters' label.
    let node: String?
    /// Whether another unfinished job with the same key is refused (`node:NAME`, `prune`).
    let conflictKey: String?
    let request: JSONValue
    let createdAt: String
    /// Whether a running job can be stopped (it polls `checkInterrupted`).
    let cancellable: Bool

    private struct Mutable {
        var state: JobState
        var startedAt: String?
        var finishedAt: String?
        var progress: ProgressSnapshot?
        var result: JSONValue?
        var error: APIError?
        var cancelRequested = false
    }
    private let mutable: NIOLockedValueBox<Mutable>

    init(id: Int64, kind: JobKind, needsLock: Bool, node: String?, conflictKey: String?, request: JSONValue, cancellable: Bool) {
        self.id = id
        self.kind = kind
        self.needsLock = needsLock
        self.node = node
        self.conflictKey = conflictKey
        self.request = request
        self.cancellable = cancellable
        createdAt = Timestamp.format(Date())
        mutable = NIOLockedValueBox(Mutable(state: needsLock ? .waiting : .running))
    }

    var currentState: JobState { mutable.withLockedValue { $0.state } }
    var failure: APIError? { mutable.withLockedValue { $0.error } }

    func report(_ snapshot: ProgressSnapshot) { mutable.withLockedValue { $0.progress = snapshot } }

    /// Starts unless cancelled while waiting; false means skip.
    func begin() -> Bool {
        mutable.withLockedValue {
            guard !$0.cancelRequested, !$0.state.isFinished else { return false }
            $0.state = .running
            $0.startedAt = Timestamp.format(Date())
            return true
        }
    }

    func finish(_ outcome: Result<JSONValue, any Error>) {
        mutable.withLockedValue {
            $0.finishedAt = Timestamp.format(Date())
            switch outcome {
            case let .success(value):
                $0.result = value
                $0.state = .succeeded
            case let .failure(failure):
                if $0.cancelRequested, case WarrenError.interrupted? = failure as? WarrenError {
                    $0.state = .cancelled
                } else {
                    $0.state = .failed
                }
                $0.error = APIError.from(failure)
            }
        }
    }

    enum CancelOutcome { case cancelled, requested, finished, notCancellable }

    func cancel() -> CancelOutcome {
        mutable.withLockedValue {
            if $0.state.isFinished { return .finished }
            if $0.state == .waiting {
                $0.cancelRequested = true
                $0.state = .cancelled
                $0.finishedAt = Timestamp.format(Date())
                return .cancelled
            }
            guard cancellable else { return .notCancellable }
            $0.cancelRequested = true
            return .requested
        }
    }

    /// Polled by the runners between files.
    func checkInterrupted() throws {
        if mutable.withLockedValue({ $0.cancelRequested }) { throw WarrenError.interrupted(detail: "job \(id) cancelled; stopped cleanly") }
    }

    /// The job as the API shows it.
    var view: JobView {
        mutable.withLockedValue {
            JobView(id: id, kind: kind, state: $0.state, needsLock: needsLock, cancelRequested: $0.cancelRequested, createdAt: createdAt,
                    startedAt: $0.startedAt, finishedAt: $0.finishedAt, progress: $0.progress, request: request, result: $0.result,
                    error: $0.error.map { .init(code: $0.code, message: $0.message, details: $0.details) })
        }
    }
}
