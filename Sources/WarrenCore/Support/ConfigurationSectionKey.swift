/// The keys of a configuration file's `[node NAME]` section, and the retention keys the top
/// of the file may set as every node's default.
public enum ConfigurationSectionKey: String, Sendable, CaseIterable {
    /// Retention (``RetentionPolicy``), as `prune`'s `--keep-*` flags.
    case keepLast = "keep-last", keepHourly = "keep-hourly", keepDaily = "keep-daily", keepWeekly = "keep-weekly"
    case keepMonthly = "keep-monthly", keepYearly = "keep-yearly", keepWithin = "keep-within"
    /// The node's schedule (``ScheduleRequest``), as `schedule add`'s options: `every` or
    /// `at`, with `jitter`, `stop-app` (yes/no) and `label`.
    case every, at, jitter
    case stopApp = "stop-app"
    case label

    /// The keys the top of the file takes too: a default policy for every node.
    public static let retention: [ConfigurationSectionKey] = [.keepLast, .keepHourly, .keepDaily, .keepWeekly, .keepMonthly, .keepYearly, .keepWithin]

    /// The policy that the retention keys of `values` set (other keys are ignored); each
    /// value is checked.
    /// - Throws: the reason, for the caller to give with the file and line.
    static func policy(_ values: [ConfigurationSectionKey: String]) throws(ConfigurationValueError) -> RetentionPolicy? {
        func count(_ key: ConfigurationSectionKey) throws(ConfigurationValueError) -> Int? {
            guard let text = values[key] else { return nil }
            guard let n = Int(text), n >= 1 else { throw ConfigurationValueError(key: key, reason: "\(key.rawValue) must be a whole number of at least 1 (got \(text))") }
            return n
        }
        var within: RetentionDuration?
        if let text = values[.keepWithin] {
            guard let duration = RetentionDuration(text) else {
                throw ConfigurationValueError(key: .keepWithin, reason: "keep-within '\(text)' is not a duration such as 14d, 36h, 2w or 1y6m")
            }
            within = duration
        }
        let policy = RetentionPolicy(
            keepLast: try count(.keepLast), keepHourly: try count(.keepHourly), keepDaily: try count(.keepDaily),
            keepWeekly: try count(.keepWeekly), keepMonthly: try count(.keepMonthly), keepYearly: try count(.keepYearly),
            keepWithin: within)
        return policy.isEmpty ? nil : policy
    }
}
