import Foundation

/// A calendar time for `schedule add --at`, in the spirit of systemd's `OnCalendar=`:
/// `02:30` (daily), `Mon..Fri 02:30`, `Sat,Sun 04:00:15`, `*:15` (hourly at minute 15), the
/// shorthands `hourly`, `daily` (`00:00`) and `weekly` (`Mon 00:00`), an optional leading
/// `*-*-*`, and an optional trailing time zone (`02:30 UTC`, `02:30 Europe/Paris`; without
/// one, the service's local time zone). Weekdays are English three-letter names.
public struct CalendarSpec: Sendable, Equatable {
    /// ISO weekdays, 1 = Monday … 7 = Sunday, ascending; empty means every day.
    public var weekdays: [Int]
    /// The hour (0-23); nil means every hour.
    public var hour: Int?
    public var minute: Int
    public var second: Int
    /// A time zone identifier given in the expression, else nil (the service's time zone).
    public var timeZone: String?

    private static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Reads an expression; nil when it is not one (see the type's description).
    public init?(_ text: String) {
        guard text.utf8.count <= 128 else { return nil }
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        switch tokens.map({ $0.lowercased() }) {
        case ["hourly"]: tokens = ["*:00"]
        case ["daily"]: tokens = ["00:00"]
        case ["weekly"]: tokens = ["Mon", "00:00"]
        default: break
        }
        if tokens.first == "*-*-*" { tokens.removeFirst() }
        var zone: String?
        if tokens.count >= 2, let last = tokens.last, !last.contains(":"), Self.days(last) == nil {
            guard TimeZone(identifier: last) != nil else { return nil }
            zone = last
            tokens.removeLast()
        }
        var days: [Int] = []
        if tokens.count == 2 {
            guard let parsed = Self.days(tokens[0]) else { return nil }
            days = parsed.count == 7 ? [] : parsed
            tokens.removeFirst()
        }
        guard tokens.count == 1 else { return nil }
        let parts = tokens[0].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        func number(_ s: String, below limit: Int) -> Int? {
            guard (1...2).contains(s.count), s.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(s), n < limit else { return nil }
            return n
        }
        let hour: Int?
        if parts[0] == "*" { hour = nil } else {
            guard let h = number(parts[0], below: 24) else { return nil }
            hour = h
        }
        guard let minute = number(parts[1], below: 60) else { return nil }
        let second = parts.count == 3 ? number(parts[2], below: 60) : 0
        guard let second else { return nil }
        self.weekdays = days
        self.hour = hour
        self.minute = minute
        self.second = second
        self.timeZone = zone
    }

    /// `Mon`, `Mon,Wed`, `Mon..Fri`, `Sat,Mon..Wed`, `Fri..Mon`: ISO weekdays, ascending, or nil.
    private static func days(_ text: String) -> [Int]? {
        var set = Set<Int>()
        for item in text.lowercased().split(separator: ",", omittingEmptySubsequences: false) {
            let ends = item.components(separatedBy: "..")
            guard (1...2).contains(ends.count) else { return nil }
            let numbers = ends.compactMap { dayNames.firstIndex(of: $0).map { $0 + 1 } }
            guard numbers.count == ends.count else { return nil }
            let (from, to) = (numbers[0], numbers[numbers.count - 1])
            // `Fri..Mon` wraps over the weekend: Fri, Sat, Sun, Mon.
            if from <= to { set.formUnion(from...to) } else { set.formUnion(from...7); set.formUnion(1...to) }
        }
        return set.sorted()
    }

    /// The expression in its one written form: `Mon,Tue 02:30`, `*:15`, `04:00:15 UTC`.
    public var text: String {
        var time = (hour.map { String(format: "%02d", $0) } ?? "*") + String(format: ":%02d", minute)
        if second != 0 { time += String(format: ":%02d", second) }
        var words: [String] = []
        if !weekdays.isEmpty { words.append(Self.daysText(weekdays)) }
        words.append(time)
        if let timeZone { words.append(timeZone) }
        return words.joined(separator: " ")
    }

    /// Ascending ISO weekdays as `Mon..Fri`, `Mon,Wed`, `Mon..Wed,Sat` (three or more in a row as a range).
    private static func daysText(_ days: [Int]) -> String {
        var groups: [[Int]] = []
        for day in days {
            if let last = groups.last?.last, last + 1 == day { groups[groups.count - 1].append(day) } else { groups.append([day]) }
        }
        return groups.flatMap { group -> [String] in
            let names = group.map { dayNames[$0 - 1].capitalized }
            return group.count >= 3 ? [names[0] + ".." + names[names.count - 1]] : names
        }.joined(separator: ",")
    }

    /// The first slot strictly after `date`, in the expression's time zone, else in `defaultZone`.
    public func next(after date: Date, defaultZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone.flatMap(TimeZone.init(identifier:)) ?? defaultZone
        let today = calendar.startOfDay(for: date)
        for offset in 0...8 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: today) else { continue }
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            let iso = ((parts.weekday ?? 1) + 5) % 7 + 1
            guard weekdays.isEmpty || weekdays.contains(iso) else { continue }
            for h in hour.map({ [$0] }) ?? Array(0..<24) {
                let wanted = DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: h, minute: minute, second: second)
                if let slot = calendar.date(from: wanted), slot > date { return slot }
            }
        }
        return date.addingTimeInterval(7 * 86400)
    }
}
