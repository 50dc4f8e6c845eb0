#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) private var receivedSignal: sig_atomic_t = 0

/// The process-wide record of a SIGINT/SIGTERM, set from a signal handler (the CLI installs
/// it) and polled by long work: between files, and by ``Subprocess`` while it waits for a
/// child, so that a signal also ends a waiting `rabbitmqctl` step.
public enum InterruptFlag {
    /// The signal received, or 0.
    public static var signal: Int32 { Int32(receivedSignal) }

    /// Async-signal-safe: only stores the number.
    public static func raise(_ signal: Int32) { receivedSignal = sig_atomic_t(signal) }

    /// Throws ``WarrenError/interrupted(detail:)`` once a signal was received.
    @Sendable public static func check() throws {
        if receivedSignal != 0 {
            throw WarrenError.interrupted(detail: "signal \(receivedSignal) received; stopped cleanly")
        }
    }
}
