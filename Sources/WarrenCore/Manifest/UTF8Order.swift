/// Orders string tuples as SQLite's BINARY collation does (by UTF-8 bytes, field by field).
enum UTF8Order {
    static func less(_ a: [String], _ b: [String]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            return x.utf8.lexicographicallyPrecedes(y.utf8)
        }
        return a.count < b.count
    }
}
