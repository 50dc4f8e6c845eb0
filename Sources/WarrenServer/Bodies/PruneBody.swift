/// `POST /v1/prune` (an empty body prunes by the stored policies).
struct PruneBody: APIRequestBody {
    var node: String?
    var dryRun: Bool?
    var keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly: Int64?
    var keepWithin: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case node, dryRun = "dry_run", keepLast = "keep_last", keepHourly = "keep_hourly", keepDaily = "keep_daily", keepWeekly = "keep_weekly"
        case keepMonthly = "keep_monthly", keepYearly = "keep_yearly", keepWithin = "keep_within"
    }

    var rules: KeepRules {
        KeepRules(last: keepLast, hourly: keepHourly, daily: keepDaily, weekly: keepWeekly, monthly: keepMonthly, yearly: keepYearly, within: keepWithin)
    }
}
