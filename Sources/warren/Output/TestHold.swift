import Foundation
import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// A test seam for the crash tests (`Tools/kill-test`, the end-to-end tests): with
/// `WARREN_TEST_HOLD_AFTER_FILES=N`, a backup, register or restore stops at its poll N+1
/// (polls come before each file, and once before each broker step that changes the node) (the
/// broker app stopped, a vhost half-written), says `warren: test hold` on stderr, and waits
/// for a signal: SIGKILL, or SIGINT/SIGTERM (handled as usual). Unset, it does nothing.
final class TestHold: @unchecked Sendable {
    private let limit: Int
    private let lock = NSLock()
    private var seen = 0

    private init(limit: Int) { self.limit = limit }

    /// `check`, with the hold in front of it when the variable is set.
    static func wrap(_ check: @escaping @Sendable () throws -> Void) -> @Sendable () throws -> Void {
        guard let text = ProcessInfo.processInfo.environment["WARREN_TEST_HOLD_AFTER_FILES"], let n = Int(text), n >= 0 else { return check }
        let hold = TestHold(limit: n)
        return {
            hold.pass()
            try check()
        }
    }

    private func pass() {
        lock.lock()
        seen += 1
        let first = seen == limit + 1, past = seen > limit
        lock.unlock()
        // Every thread that comes past the limit waits too, so that no more files are written.
        guard past else { return }
        if first { FileHandle.standardError.write(Data("warren: test hold\n".utf8)) }
        while InterruptFlag.signal == 0 { usleep(5_000) }
    }
}
