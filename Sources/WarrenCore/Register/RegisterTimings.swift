/// How long each ``RegisterPhase`` of one ingest took, measured with a monotonic clock.
/// Reported once the backup is complete (``Registrar/onTimings``, ``BackupRunner/onTimings``);
/// the CLI prints it under `-v`, and `Tools/bench register` reads the manifest's share.
public struct RegisterTimings: Sendable, Equatable {
    /// Seconds per phase; a phase that did not run is absent.
    public private(set) var seconds: [RegisterPhase: Double] = [:]

    public init() {}

    /// Seconds spent in `phase` (0 when it did not run).
    public subscript(phase: RegisterPhase) -> Double { seconds[phase] ?? 0 }

    /// The sum of every phase.
    public var total: Double { seconds.values.reduce(0, +) }

    /// Runs `body`, adding its duration to `phase` (also when it throws).
    mutating func measure<T>(_ phase: RegisterPhase, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        defer { seconds[phase, default: 0] += Self.seconds(ContinuousClock.now - start) }
        return try body()
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
