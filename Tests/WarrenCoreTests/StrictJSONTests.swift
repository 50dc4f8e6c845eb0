import Foundation
import Testing
@testable import WarrenCore

/// The strict reader behind definitions files and API bodies (issue 12 §3).
@Suite struct StrictJSONTests {
    func parse(_ text: String) throws(StrictJSONError) -> JSONValue {
        try StrictJSON.parse(Array(text.utf8))
    }

    func error(_ bytes: [UInt8]) -> StrictJSONError? {
        do {
            _ = try StrictJSON.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    func error(_ text: String) -> StrictJSONError? { error(Array(text.utf8)) }

    @Test func parsesWhatFoundationParses() throws {
        let samples = [
            #"{"a": [1, -2, 3.5, 1e3, -0, 0.25E-2, true, false, null, "x\"y\\z\/\b\f\n\r\t\u00e9\ud83d\ude00"], "b": {}}"#,
            #"[]"#, #"  "plain"  "#, "9223372036854775807", "-9223372036854775808", "18446744073709551616", "1.5e308",
            #"{"arguments": {"x-max-length": 100, "x-message-ttl": 6.0e4, "nested": [[[{}]]]}}"#,
        ]
        for sample in samples {
            let strict = try parse(sample)
            let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(sample.utf8))
            #expect(strict.canonicalJSON == foundation.canonicalJSON, "\(sample)")
        }
        #expect(try parse("9223372036854775807") == .integer(.max))
        #expect(try parse("9223372036854775808") == .number(9223372036854775808.0))
        #expect(try parse(#""\u00e9\ud83d\ude00""#) == .string("é😀"))
        #expect(try StrictJSON.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == .object([:]), "a UTF-8 byte-order mark is skipped")
    }

    @Test func refusesDuplicateKeysNamingThemAndWhere() throws {
        let top = try #require(error("{\"queues\": [1],\n \"vhosts\": [],\n  \"queues\": []}"))
        #expect(top.kind == .duplicateKey("queues") && top.location == "" && top.line == 3 && top.column == 3)
        #expect(top.description.contains("has the key \"queues\" more than once at the top level (line 3, column 3)"))
        let nested = try #require(error(#"{"queues": [{"name": "a"}, {"name": "b", "arguments": {"x": 1, "x": 2}}]}"#))
        #expect(nested.kind == .duplicateKey("x") && nested.location == "queues[1].arguments")
        // The same key spelt with an escape is the same key.
        #expect(error(#"{"dry_run": true, "dry\u005frun": false}"#)?.duplicateKey == "dry_run")
        #expect(error(#"{"a": {"k": 1}, "b": {"k": 1}}"#) == nil, "the same key in two objects is fine")
    }

    @Test func refusesInvalidUTF8AtItsByte() throws {
        let invalid = try #require(error(Array(#"{"name": "caf"#.utf8) + [0xE9] + Array(#""}"#.utf8)))
        #expect(invalid.kind == .invalidUTF8 && invalid.offset == 13 && invalid.location == "name")
        #expect(invalid.description.hasPrefix("is not valid UTF-8 at byte 13 (line 1, column 14, in name)"))
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80]] {
            #expect(error([0x22] + bad + [0x22])?.kind == .invalidUTF8, "\(bad)")
        }
    }

    @Test func refusesNumbersWarrenCannotHold() throws {
        let huge = String(repeating: "9", count: 400)
        let e = try #require(error(#"{"queues": [{"arguments": {"x-max-length": \#(huge)}}]}"#))
        #expect(e.kind == .numberOutOfRange(String(repeating: "9", count: 20) + "… (400 characters)"))
        #expect(e.location == "queues[0].arguments.x-max-length")
        #expect(e.description.contains("too large") && !e.description.contains("typeMismatch"))
        #expect(error("1e400")?.kind == .numberOutOfRange("1e400"))
        #expect(try parse("1e-400") == .number(0))
    }

    @Test(arguments: [
        ("", "the document is empty"),
        ("{", "expected a key in double quotes"),
        ("{\"a\" 1}", "expected ':' after the key \"a\""),
        ("{\"a\": 1,}", "expected a key in double quotes, found '}'"),
        ("[1,]", "expected a value, found ']'"),
        ("[1 2]", "expected ',' or ']'"),
        ("01", "leading zero"),
        ("1.", "must be followed by digits"),
        ("-", "must be followed by digits"),
        ("tru", "expected true"),
        ("\"a\tb\"", "control character"),
        ("\"\\x\"", "invalid escape \\x"),
        ("\"\\ud83d\"", "surrogate"),
        ("\"abc", "ends inside a string"),
        ("{} x", "after the end of the JSON value"),
        ("NaN", "expected a value"),
    ])
    func refusesWhatIsNotJSON(text: String, fragment: String) throws {
        let e = try #require(error(text), "accepted \(text.debugDescription)")
        guard case let .syntax(problem) = e.kind else { Issue.record("\(e.kind)"); return }
        #expect(problem.contains(fragment), "\(text.debugDescription): \(problem)")
        #expect(e.description.hasPrefix("is not valid JSON: "))
    }

    @Test func refusesNestingBeyondTheLimit() throws {
        let deep = String(repeating: "[", count: StrictJSON.maximumDepth + 1) + String(repeating: "]", count: StrictJSON.maximumDepth + 1)
        #expect(error(deep)?.kind == .tooDeep)
        let ok = String(repeating: "[", count: StrictJSON.maximumDepth) + String(repeating: "]", count: StrictJSON.maximumDepth)
        #expect(error(ok) == nil)
    }
}
