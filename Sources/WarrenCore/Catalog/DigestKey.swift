/// A SHA-256 as four machine words: a `Set` key that hashes and compares without touching
/// the heap, and that binds as the catalog's 32-byte BLOB. A rebuild checks every file of
/// every manifest (10 million) against the objects already recorded; with `Data` keys the
/// hashing alone was 3 % of the writer thread, with the hex parse into `[UInt8]` another 3.5 %.
struct DigestKey: Hashable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// Parses 64 hex digits (either case); nil for anything else.
    init?(hex: String) {
        var text = hex
        guard let parsed = text.withUTF8({ Self.parse($0) }) else { return nil }
        words = parsed
    }

    /// The 32 bytes in digest order, as the catalog stores them.
    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        var big = (words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian)
        return try withUnsafeBytes(of: &big) { try body($0) }
    }

    static func == (lhs: DigestKey, rhs: DigestKey) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    private static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64, UInt64)? {
        guard utf8.count == 64 else { return nil }
        var out: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for word in 0..<4 {
            var value: UInt64 = 0
            for i in (word * 16)..<(word * 16 + 16) {
                guard let nibble = Self.nibble(utf8[i]) else { return nil }
                value = value << 4 | UInt64(nibble)
            }
            switch word {
            case 0: out.0 = value
            case 1: out.1 = value
            case 2: out.2 = value
            default: out.3 = value
            }
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}
