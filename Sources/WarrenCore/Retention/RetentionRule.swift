/// The counted rules of a policy. Each keeps the newest backup of each of its N most recent
/// buckets that hold a backup (restic's semantics), counting back from the newest backup.
public enum RetentionRule: String, Sendable, CaseIterable, Codable {
    /// Every backup is its own bucket: the N newest.
    case last
    /// Calendar hour, day, ISO week, month and year, in UTC.
    case hourly, daily, weekly, monthly, yearly

    /// The bucket a backup falls in; `position` is its rank, newest first.
    func bucket(of backup: RetentionCandidate, position: Int) -> Int64 {
        switch self {
        case .last: return Int64(position)
        case .hourly: return UTCCalendar.hours(backup.takenAt)
        case .daily: return UTCCalendar.days(backup.takenAt)
        case .weekly:
            let week = UTCCalendar.isoWeek(backup.takenAt)
            return Int64(week.year) * 100 + Int64(week.week)
        case .monthly:
            let f = UTCCalendar.fields(backup.takenAt)
            return Int64(f.year) * 12 + Int64(f.month)
        case .yearly: return Int64(UTCCalendar.fields(backup.takenAt).year)
        }
    }
}
