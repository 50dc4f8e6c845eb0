import Foundation
import Synchronization

/// Work started on its own thread now, whose result is taken later: a read-ahead that runs
/// while the caller does something else (the rebuild decodes the next batch of manifests
/// while SQLite writes the last one).
final class BackgroundResult<Value: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let slot = Mutex<Result<Value, any Error>?>(nil)

    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            let result = Result { try work() }
            slot.withLock { $0 = result }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Waits for the work to end; rethrows its error. Call once.
    func value() throws -> Value {
        done.wait()
        return try slot.withLock { $0! }.get()
    }
}
