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
        // Under the async `main` (Warren is an AsyncParsableCommand) the command runs on a
        // thread that libdispatch has given a mask blocking SIGINT and SIGTERM, as every
        // other thread: the signals then stay pending and a held or waiting command never
        // sees them. Unblocked here, on the thread running the command (threads it starts
        // inherit the mask), the kernel delivers them to the handler above.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    @Sendable static func check() throws {
        try InterruptFlag.check()
    }
}
