/// Classifies the file names of a classic queue directory the way the broker's wildcards
/// see them (`rabbit_file:wildcard(".*\\.idx", Dir)` and `".*\\.qi"` are unanchored regular
/// expressions, and the number is read with `list_to_integer/1`).
enum QueueIndexFileName: Equatable {
    case v1Segment(Int64)
    case v1Journal
    case v2Segment(Int64)
    case v2Store(Int64)
    /// Not an index file (`.queue_name`, anything else the broker ignores).
    case other

    /// - Throws: a name the broker would match but misread (`007.idx`, `1.qi.bak`, `x.idx`).
    static func classify(_ name: String) throws(IndexParseError) -> QueueIndexFileName {
        if name == "journal.jif" { return .v1Journal }
        for (suffix, make) in [(".idx", Self.v1Segment), (".qi", Self.v2Segment), (".qs", Self.v2Store)] {
            if name.hasSuffix(suffix), let number = canonicalNumber(String(name.dropLast(suffix.count))) {
                return make(number)
            }
        }
        if name.contains(".idx") || name.contains(".qi") {
            throw IndexParseError(file: name, offset: 0, reason: .unexpectedFileName(name))
        }
        return .other
    }

    /// A decimal number without sign or leading zeros (what `integer_to_list/1` writes).
    private static func canonicalNumber(_ digits: String) -> Int64? {
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              digits == "0" || !digits.hasPrefix("0") else { return nil }
        return Int64(digits)
    }
}
