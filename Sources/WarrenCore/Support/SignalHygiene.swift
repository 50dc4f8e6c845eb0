#if canImport(Glibc)
import Glibc
#endif

/// Signal masks are inherited across `fork`/`exec`, and a thread of a Dispatch or Swift
/// concurrency pool blocks nearly every signal. A Warren started from such a thread (a test
/// harness, a service manager's helper, another Swift program) would otherwise never see its
/// SIGTERM: a restore held at a step waited forever for a signal that stayed pending (the CI
/// run of 2026-12-02, `BrokerSafetyEndToEndTests`). The same applies to every child Warren starts.
public enum SignalHygiene {
    /// The signals Warren reacts to, and that its children must see with their default action.
    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGPIPE]

    /// Unblocks SIGINT and SIGTERM on the calling thread. Call it first thing on the main
    /// thread, before any other thread exists, so that a signal always has a thread to go to.
    public static func unblockOnThisThread() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Makes a `posix_spawn` child start with an empty signal mask and the default action for
    /// ``handled`` (Warren itself ignores SIGPIPE), whichever thread spawns it. `flags` are
    /// the caller's own `POSIX_SPAWN_*` flags.
    public static func prepare(_ attributes: inout posix_spawnattr_t, flags: Int32) {
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in handled { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(flags | Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)))
    }
}
