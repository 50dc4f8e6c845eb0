import WarrenCore

/// The `keep_*` fields of `PUT /v1/policy` and `POST /v1/prune`, as a retention policy.
struct KeepRules: Sendable {
    var last, hourly, daily, weekly, monthly, yearly: Int64?
    var within: String?

    /// The policy they describe; 400 `invalid_value` on a count below 1 or a bad duration.
    func policy() throws -> RetentionPolicy {
        func count(_ value: Int64?, _ name: String) throws -> Int? {
            guard let value else { return nil }
            guard value >= 1 else { throw APIError.badRequest("invalid_value", "field '\(name)' must be at least 1", details: .object(["field": .string(name)])) }
            guard value <= 1_000_000 else { throw APIError.badRequest("invalid_value", "field '\(name)' is too large", details: .object(["field": .string(name)])) }
            return Int(value)
        }
        var duration: RetentionDuration?
        if let within {
            guard let parsed = RetentionDuration(within) else {
                throw APIError.badRequest("invalid_value", "keep_within '\(within.prefix(64))' is not a duration such as 14d, 36h, 2w or 1y6m",
                                          details: .object(["field": .string("keep_within")]))
            }
            duration = parsed
        }
        return RetentionPolicy(
            keepLast: try count(last, "keep_last"), keepHourly: try count(hourly, "keep_hourly"), keepDaily: try count(daily, "keep_daily"),
            keepWeekly: try count(weekly, "keep_weekly"), keepMonthly: try count(monthly, "keep_monthly"), keepYearly: try count(yearly, "keep_yearly"),
            keepWithin: duration)
    }
}
