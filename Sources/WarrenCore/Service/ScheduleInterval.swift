/// `--every`: `30s`, `15m`, `6h`, `1d` (seconds, minutes, hours, days), or combinations
/// in that order of size such as `1h30m`. Also the form of `--jitter`.
public enum ScheduleInterval {
    public static func seconds(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 32 else { return nil }
        var total: Int64 = 0
        var number = ""
        var lastRank = Int.max
        let ranks: [Character: (Int, Int64)] = ["d": (4, 86400), "h": (3, 3600), "m": (2, 60), "s": (1, 1)]
        for c in text {
            if c.isASCII && c.isNumber { number.append(c); continue }
            guard let (rank, unit) = ranks[c], rank < lastRank, let n = Int64(number), n > 0 else { return nil }
            let (product, overflow) = n.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            total += product
            number = ""
            lastRank = rank
        }
        guard number.isEmpty, total >= 1, total <= 366 * 86400 else { return nil }
        return total
    }
}
