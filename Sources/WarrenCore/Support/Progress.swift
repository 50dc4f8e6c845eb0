import Foundation

/// How far a long operation is. Domain code reports it; the CLI draws it on a terminal and
/// the service exposes it on jobs.
public struct ProgressSnapshot: Sendable, Codable, Equatable {
    public var phase: String
    public var bytesDone: Int64
    public var bytesTotal: Int64
    public var filesDone: Int
    public var filesTotal: Int

    public init(phase: String, bytesDone: Int64 = 0, bytesTotal: Int64 = 0, filesDone: Int = 0, filesTotal: Int = 0) {
        self.phase = phase
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.filesDone = filesDone
        self.filesTotal = filesTotal
    }
}

public typealias ProgressHandler = @Sendable (ProgressSnapshot) -> Void

/// Thread-safe counters that forward every change to a ``ProgressHandler``.
final class ProgressTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var snapshot: ProgressSnapshot
    private let handler: ProgressHandler?

    init(phase: String, bytesTotal: Int64, filesTotal: Int, handler: ProgressHandler?) {
        snapshot = ProgressSnapshot(phase: phase, bytesTotal: bytesTotal, filesTotal: filesTotal)
        self.handler = handler
        handler?(snapshot)
    }

    func add(bytes: Int64 = 0, files: Int = 0) {
        guard let handler else { return }
        lock.lock()
        snapshot.bytesDone += bytes
        snapshot.filesDone += files
        let copy = snapshot
        lock.unlock()
        handler(copy)
    }
}
