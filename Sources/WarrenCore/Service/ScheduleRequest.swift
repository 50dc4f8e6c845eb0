/// What `schedule add` and `POST /v1/schedules` ask for, validated once for both faces.
/// Errors name the domain fields (`node`, `label`, `every`, `at`, `jitter`).
public struct ScheduleRequest: Sendable, Equatable {
    public var node: String
    /// An interval such as `6h` or `1h30m` (see ``ScheduleInterval``); or give `at`.
    public var every: String?
    /// A calendar time such as `02:30` or `Mon..Fri 02:30` (see ``CalendarSpec``); or give `every`.
    public var at: String?
    /// A random delay of up to this long (same form as `every`). A jitter as long as the
    /// period or longer spreads the runs out: each slot still runs at most once.
    public var jitter: String?
    public var stopApp: Bool
    public var label: String?
    public var preHook: String?
    public var postHook: String?

    public init(node: String, every: String? = nil, at: String? = nil, jitter: String? = nil, stopApp: Bool = false,
                label: String? = nil, preHook: String? = nil, postHook: String? = nil) {
        self.node = node
        self.every = every
        self.at = at
        self.jitter = jitter
        self.stopApp = stopApp
        self.label = label
        self.preHook = preHook
        self.postHook = postHook
    }

    /// When the schedule runs, read from `every` or `at`.
    public enum Timing: Sendable, Equatable {
        case every(seconds: Int64)
        case calendar(CalendarSpec)
    }

    /// The checked request: its timing and jitter in seconds.
    public struct Validated: Sendable, Equatable {
        public var timing: Timing
        public var jitterSeconds: Int64
    }

    /// Checks every field.
    /// - Throws: ``WarrenError/invalidArgument(name:reason:)`` naming the field.
    public func validate() throws -> Validated {
        try BackupNaming.validate(node: node, label: label)
        let timing: Timing
        switch (every, at) {
        case let (every?, nil):
            guard let seconds = ScheduleInterval.seconds(every) else {
                throw WarrenError.invalidArgument(name: "every", reason: "'\(every.prefix(64))' is not an interval such as 30s, 15m, 6h, 1d or 1h30m (at most a year)")
            }
            timing = .every(seconds: seconds)
        case let (nil, at?):
            guard let spec = CalendarSpec(at) else {
                throw WarrenError.invalidArgument(name: "at", reason: "'\(at.prefix(64))' is not a calendar time such as 02:30, Mon..Fri 02:30, Sat,Sun 04:00 UTC, *:15, hourly, daily or weekly")
            }
            timing = .calendar(spec)
        case (nil, nil):
            throw WarrenError.invalidArgument(name: "every", reason: "give an interval (every, e.g. 6h) or a calendar time (at, e.g. 02:30)")
        case (_?, _?):
            throw WarrenError.invalidArgument(name: "at", reason: "give an interval (every) or a calendar time (at), not both")
        }
        var jitterSeconds: Int64 = 0
        if let jitter {
            guard let seconds = ScheduleInterval.seconds(jitter) else {
                throw WarrenError.invalidArgument(name: "jitter", reason: "'\(jitter.prefix(64))' is not a duration such as 30s, 15m or 1h")
            }
            jitterSeconds = seconds
        }
        return Validated(timing: timing, jitterSeconds: jitterSeconds)
    }
}
