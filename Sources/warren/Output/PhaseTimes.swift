import Foundation
import WarrenCore

/// `register -v` and `backup -v`: keeps the ``RegisterTimings`` the core reports, and prints
/// them after the progress line is gone, one stderr line per phase:
/// `warren: phase manifest write: 0.012 s` (read by `Tools/bench register`).
final class PhaseTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var timings: RegisterTimings?

    /// The handler to give the core, nil unless `-v` (nothing is measured for nothing).
    var handler: (@Sendable (RegisterTimings) -> Void)? {
        guard Terminal.verbosity == .verbose else { return nil }
        return { [self] timings in
            lock.lock(); defer { lock.unlock() }
            self.timings = timings
        }
    }

    /// One line per phase, in the order they run (nothing when none was reported).
    func print() {
        lock.lock()
        let timings = self.timings
        lock.unlock()
        guard let timings else { return }
        for phase in RegisterPhase.allCases {
            Terminal.detail(Self.line(phase, seconds: timings[phase]))
        }
    }

    static func line(_ phase: RegisterPhase, seconds: Double) -> String {
        "phase \(phase.rawValue): " + String(format: "%.3f s", seconds)
    }
}
