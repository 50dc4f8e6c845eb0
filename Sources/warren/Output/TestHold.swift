import Foundation
import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// A test seam for the crash tests (`Tools/kill-test`, the end-to-end tests): with
/// `WARREN_TEST_HOLD_AFTER_FILES=N`, a backup, register or restore stops at its poll N+1
/// (polls come before each file, and once before each broker step that changes the node) (the
/// broker app stopped, a vhost half-written), says `warren: test hold` on stderr, and waits
/// for a signal: SIGKILL, or SIGINT/SIGTERM (handled as usual). With
/// `WARREN_TEST_HOLD_RELEASE_FILE=PATH` too, it goes on once PATH exists (a test holds a
/// register mid-way while another host acts, then lets it finish). Unset, it does nothing.
final class TestHold: @unchecked Sendable {
    private let limit: Int
    private let releaseFile: String?
    private let lock = NSLock()
    private var seen = 0

    private init(limit: Int, releaseFile: String?) {
        self.limit = limit
        self.releaseFile = releaseFile
    }

    /// `check`, with the hold in front of it when the variable is set.
    static func wrap(_ check: @escaping @Sendable () throws -> Void) -> @Sendable () throws -> Void {
        guard let text = ProcessInfo.processInfo.environment["WARREN_TEST_HOLD_AFTER_FILES"], let n = Int(text), n >= 0 else { return check }
        let release = ProcessInfo.processInfo.environment["WARREN_TEST_HOLD_RELEASE_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let hold = TestHold(limit: n, releaseFile: release)
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
        while InterruptFlag.signal == 0 {
            if let releaseFile, access(releaseFile, F_OK) == 0 { return }
            usleep(5_000)
        }
    }
}
