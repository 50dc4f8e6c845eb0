/// A strict JSON (RFC 8259) reader for input Warren must not misread: definitions files
/// and API request bodies. Unlike Foundation's decoders it refuses duplicate keys (naming
/// them: RabbitMQ keeps the last value, so a file with two `"queues"` does not say one
/// thing), and says exactly what is wrong and where: invalid UTF-8 at byte N, a number too
/// large for Warren, a syntax error at line and column, with the JSON location
/// (`queues[3].arguments`). No listed library detects duplicate keys, hence this one.
///
/// Numbers: an integer that fits 64 bits is ``JSONValue/integer(_:)``, anything else a
/// ``JSONValue/number(_:)``; a number beyond a double's range is refused. A leading UTF-8
/// byte-order mark is skipped (RFC 8259 §8.1 allows it).
public enum StrictJSON {
    /// Deepest nesting of objects and arrays accepted (definitions nest about five deep).
    public static let maximumDepth = 256

    /// Parses a whole document.
    public static func parse(_ bytes: [UInt8]) throws(StrictJSONError) -> JSONValue {
        let result: Result<JSONValue, StrictJSONError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(buffer)
            do throws(StrictJSONError) {
                return .success(try parser.document())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private enum PathComponent {
        case key(String)
        case index(Int)
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        var path: [PathComponent] = []

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func document() throws(StrictJSONError) -> JSONValue {
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
            skipWhitespace()
            guard position < bytes.count else { throw fail(.syntax("the document is empty")) }
            let value = try self.value()
            skipWhitespace()
            guard position == bytes.count else {
                throw fail(.syntax("unexpected \(describe(position)) after the end of the JSON value"))
            }
            return value
        }

        // MARK: values

        mutating func value() throws(StrictJSONError) -> JSONValue {
            guard position < bytes.count else { throw fail(.syntax("the document ends where a value was expected")) }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw fail(.syntax("expected a value, found \(describe(position))"))
            }
        }

        mutating func object() throws(StrictJSONError) -> JSONValue {
            guard path.count < StrictJSON.maximumDepth else { throw fail(.tooDeep) }
            position += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if peek(UInt8(ascii: "}")) { position += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard peek(UInt8(ascii: "\"")) else { throw fail(.syntax("expected a key in double quotes, found \(describe(position))")) }
                let keyStart = position
                let key = try string()
                skipWhitespace()
                guard peek(UInt8(ascii: ":")) else { throw fail(.syntax("expected ':' after the key \"\(key)\", found \(describe(position))")) }
                position += 1
                skipWhitespace()
                path.append(.key(key))
                let member = try value()
                path.removeLast()
                if members.updateValue(member, forKey: key) != nil {
                    throw fail(.duplicateKey(key), at: keyStart)
                }
                skipWhitespace()
                guard position < bytes.count else { throw fail(.syntax("the document ends inside an object (missing '}')")) }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                throw fail(.syntax("expected ',' or '}' after a member, found \(describe(position))"))
            }
        }

        mutating func array() throws(StrictJSONError) -> JSONValue {
            guard path.count < StrictJSON.maximumDepth else { throw fail(.tooDeep) }
            position += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if peek(UInt8(ascii: "]")) { position += 1; return .array(items) }
            while true {
                skipWhitespace()
                path.append(.index(items.count))
                items.append(try value())
                path.removeLast()
                skipWhitespace()
                guard position < bytes.count else { throw fail(.syntax("the document ends inside an array (missing ']')")) }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                throw fail(.syntax("expected ',' or ']' after an element, found \(describe(position))"))
            }
        }

        mutating func literal(_ word: StaticString) throws(StrictJSONError) {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count,
                  (0..<count).allSatisfy({ bytes[position + $0] == word.utf8Start[$0] }) else {
                throw fail(.syntax("expected \(word), found \(describe(position))"))
            }
            position += count
        }

        // MARK: strings

        /// A string starting at the opening quote; returns its decoded text.
        mutating func string() throws(StrictJSONError) -> String {
            position += 1
            let start = position
            // Fast path: no escape.
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    position += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw fail(.syntax("a control character (byte 0x\(hex(byte))) inside a string must be escaped")) }
                if byte < 0x80 { position += 1 } else { position += try utf8Sequence() }
            }
            var decoded = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    return String(decoding: decoded, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    try escape(into: &decoded)
                case 0..<0x20:
                    throw fail(.syntax("a control character (byte 0x\(hex(byte))) inside a string must be escaped"))
                case 0x80...:
                    let length = try utf8Sequence()
                    decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<position + length]))
                    position += length
                default:
                    decoded.append(byte)
                    position += 1
                }
            }
            throw fail(.syntax("the document ends inside a string (missing '\"')"))
        }

        mutating func escape(into decoded: inout [UInt8]) throws(StrictJSONError) {
            guard position + 1 < bytes.count else { throw fail(.syntax("the document ends inside an escape sequence")) }
            let code = bytes[position + 1]
            let simple: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]
            if let byte = simple[code] {
                decoded.append(byte)
                position += 2
                return
            }
            guard code == UInt8(ascii: "u") else { throw fail(.syntax("invalid escape \\\(describeByte(code)) in a string")) }
            let escapeStart = position
            var scalar = try hex4(at: position + 2)
            position += 6
            if (0xD800...0xDBFF).contains(scalar) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw fail(.syntax("\\u\(String(scalar, radix: 16)) is half of a UTF-16 surrogate pair without its other half"), at: escapeStart)
                }
                let low = try hex4(at: position + 2)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw fail(.syntax("\\u\(String(scalar, radix: 16)) is not followed by a low surrogate"), at: escapeStart)
                }
                position += 6
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw fail(.syntax("\\u\(String(scalar, radix: 16)) is a lone UTF-16 low surrogate"), at: escapeStart)
            }
            decoded.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
        }

        func hex4(at offset: Int) throws(StrictJSONError) -> UInt32 {
            guard offset + 4 <= bytes.count else { throw fail(.syntax("the document ends inside a \\u escape")) }
            var value: UInt32 = 0
            for i in 0..<4 {
                let byte = bytes[offset + i]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw fail(.syntax("a \\u escape needs four hex digits, found \(describe(offset + i))"), at: offset + i)
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }

        /// Length of the well-formed UTF-8 sequence at `position` (a lead byte >= 0x80);
        /// refuses overlong forms, surrogates and code points above U+10FFFF.
        func utf8Sequence() throws(StrictJSONError) -> Int {
            let lead = bytes[position]
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: throw fail(.invalidUTF8)
            }
            guard position + length <= bytes.count else { throw fail(.invalidUTF8) }
            for i in 1..<length {
                let byte = bytes[position + i]
                let (low, high) = i == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
                // Reported at the sequence's first byte: where the damage starts.
                guard byte >= low && byte <= high else { throw fail(.invalidUTF8) }
            }
            return length
        }

        // MARK: numbers

        mutating func number() throws(StrictJSONError) -> JSONValue {
            let start = position
            if peek(UInt8(ascii: "-")) { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw fail(.syntax("a '-' must be followed by digits, found \(describe(position))"))
            }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
                if position < bytes.count, isDigit(bytes[position]) { throw fail(.syntax("a number must not have a leading zero"), at: start) }
            } else {
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            var integral = true
            if peek(UInt8(ascii: ".")) {
                integral = false
                position += 1
                guard position < bytes.count, isDigit(bytes[position]) else { throw fail(.syntax("a '.' in a number must be followed by digits")) }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                integral = false
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                guard position < bytes.count, isDigit(bytes[position]) else { throw fail(.syntax("an exponent in a number must have digits")) }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            if integral, let value = Int64(text) { return .integer(value) }
            guard let value = Double(text), value.isFinite else {
                let digits = text.count > 24 ? String(text.prefix(20)) + "… (\(text.count) characters)" : text
                throw fail(.numberOutOfRange(digits), at: start)
            }
            return .number(value)
        }

        // MARK: helpers

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        func peek(_ byte: UInt8) -> Bool { position < bytes.count && bytes[position] == byte }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        func hex(_ byte: UInt8) -> String {
            let digits = Array("0123456789ABCDEF".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
        }

        func describeByte(_ byte: UInt8) -> String {
            (0x21...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : "(byte 0x\(hex(byte)))"
        }

        func describe(_ offset: Int) -> String {
            guard offset < bytes.count else { return "the end of the document" }
            let byte = bytes[offset]
            return (0x21...0x7E).contains(byte) ? "'\(String(UnicodeScalar(byte)))'" : "byte 0x\(hex(byte))"
        }

        var location: String {
            var text = ""
            for component in path {
                switch component {
                case let .key(key): text += text.isEmpty ? key : "." + key
                case let .index(index): text += "[\(index)]"
                }
            }
            return text
        }

        func fail(_ kind: StrictJSONError.Kind, at offset: Int? = nil) -> StrictJSONError {
            let offset = min(offset ?? position, bytes.count)
            var line = 1, lineStart = 0
            for i in 0..<offset where bytes[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            return StrictJSONError(kind: kind, location: location, offset: offset, line: line, column: offset - lineStart + 1)
        }
    }
}
