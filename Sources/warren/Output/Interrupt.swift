import Foundation
import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// Catches SIGINT and SIGTERM during work that must end cleanly (the broker app started
/// again, the post-hook run): the work polls ``check()`` and stops at the next file, and a
/// waiting `rabbitmqctl` step is ended (see ``InterruptFlag``).
enum Interrupt {
    static func install() {
        signal(SIGINT) { InterruptFlag.raise($0) }
        signal(SIGTERM) { InterruptFlag.raise($0) }
    }

    @Sendable static func check() throws {
        try InterruptFlag.check()
    }
}
