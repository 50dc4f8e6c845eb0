import Foundation

/// A `--keep-within` span, restic style: a number of years, months, weeks, days and hours,
/// written `2y5m7d3h`, `14d`, `36h`, `2w` (each unit at most once, in that order).
/// Subtracted from the newest backup's time with calendar arithmetic in UTC (a month back
/// from 31 March is 28 or 29 February).
public struct RetentionDuration: Sendable, Equatable, Codable, CustomStringConvertible {
    public var years = 0, months = 0, weeks = 0, days = 0, hours = 0

    private static let units: [Character] = ["y", "m", "w", "d", "h"]

    /// The value of unit `index` in ``units``.
    private subscript(unit index: Int) -> Int {
        get { [years, months, weeks, days, hours][index] }
        set {
            switch index {
            case 0: years = newValue
            case 1: months = newValue
            case 2: weeks = newValue
            case 3: days = newValue
            default: hours = newValue
            }
        }
    }

    /// Nil for anything but a non-zero span in the format above.
    public init?(_ text: String) {
        var rest = Substring(text)
        var nextUnit = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 6, let value = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = rest.first,
                  let index = Self.units[nextUnit...].firstIndex(of: unit) else { return nil }
            self[unit: index] = value
            nextUnit = index + 1
            rest = rest.dropFirst()
        }
        guard years + months + weeks + days + hours > 0 else { return nil }
    }

    public var description: String {
        Self.units.indices.compactMap { self[unit: $0] > 0 ? "\(self[unit: $0])\(Self.units[$0])" : nil }.joined()
    }

    /// The earliest time still "within" this span of `newest`.
    public func cutoff(before newest: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var components = DateComponents()
        components.year = -years
        components.month = -months
        components.day = -(weeks * 7 + days)
        let dated = calendar.date(byAdding: components, to: newest) ?? newest
        return dated.addingTimeInterval(-Double(hours) * 3600)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = RetentionDuration(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a duration: \(text)"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
