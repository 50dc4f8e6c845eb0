import Foundation
import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) private var interruptSignal: sig_atomic_t = 0

/// Catches SIGINT and SIGTERM during work that must end cleanly (the broker app started
/// again, the post-hook run): the work polls ``check()`` and stops at the next file.
enum Interrupt {
    static func install() {
        signal(SIGINT) { interruptSignal = $0 }
        signal(SIGTERM) { interruptSignal = $0 }
    }

    @Sendable static func check() throws {
        if interruptSignal != 0 {
            throw WarrenError.interrupted(detail: "signal \(interruptSignal) received; stopped cleanly")
        }
    }
}
