import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// ``SQLiteInsert`` and ``DigestKey``, the C-API path of the rows a rebuild writes by the
/// million: each value lands as GRDB would bind it (the empty text is not NULL, a nil is),
/// an id parses to the bytes ``ObjectID`` gives, and a failed step is a `DatabaseError`
/// that leaves the statement usable.
@Suite struct SQLiteInsertTests {
    static func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT, b BLOB, o INTEGER)")
        }
        return queue
    }

    @Test func valuesLandAsGRDBWouldBindThem() throws {
        let queue = try Self.database()
        let key = try #require(DigestKey(hex: String(repeating: "0123456789abcdef", count: 4)))
        try queue.write { db in
            let insert = try SQLiteInsert(db, sql: "INSERT INTO t (id, n, s, b, o) VALUES (?, ?, ?, ?, ?)")
            for (i, text) in ["", "é/ü ☃", "a\u{0}b"].enumerated() {
                try insert.bind(1, Int64(i + 1))
                try insert.bind(2, Int64.min + Int64(i))
                try insert.bind(3, text)
                try key.withBytes { try insert.bind(4, blob: $0) }
                try insert.bind(5, i == 0 ? nil : Int64(i) as Int64?)
                try insert.step()
            }
        }
        let rows = try queue.read { try Row.fetchAll($0, sql: "SELECT n, CAST(s AS BLOB) AS sb, typeof(s) AS st, b, o FROM t ORDER BY id") }
        #expect(rows.count == 3)
        #expect(rows.map { $0["n"] as Int64 } == [Int64.min, Int64.min + 1, Int64.min + 2])
        // As bytes: a NUL inside the text is kept (its length is bound, not found by strlen).
        #expect(rows.map { Array(($0["sb"] as Data?) ?? Data()) } == ["", "é/ü ☃", "a\u{0}b"].map { Array($0.utf8) })
        #expect(rows.map { $0["st"] as String } == ["text", "text", "text"])
        let expected = try #require(ObjectID(hex: String(repeating: "0123456789abcdef", count: 4))).data
        #expect(rows.allSatisfy { ($0["b"] as Data) == expected })
        #expect(rows.map { $0["o"] as Int64? } == [nil, 1, 2])
    }

    @Test func aFailedStepIsADatabaseErrorAndTheStatementStaysUsable() throws {
        let queue = try Self.database()
        try queue.write { db in
            let insert = try SQLiteInsert(db, sql: "INSERT INTO t (id, n) VALUES (?, ?)")
            try insert.bind(1, Int64(7)); try insert.bind(2, Int64(1)); try insert.step()
            try insert.bind(1, Int64(7)); try insert.bind(2, Int64(2))
            let error = #expect(throws: DatabaseError.self) { try insert.step() }
            #expect(error?.resultCode == .SQLITE_CONSTRAINT, "\(String(describing: error))")
            try insert.bind(1, Int64(8)); try insert.bind(2, Int64(3)); try insert.step()
            // GRDB's cache hands the same statement out again, reset and unbound.
            try db.execute(sql: "INSERT INTO t (id, n) VALUES (?, ?)", arguments: [9, 4])
        }
        #expect(try queue.read { try Int64.fetchAll($0, sql: "SELECT n FROM t ORDER BY id") } == [1, 3, 4])
    }

    @Test func digestKeysParseAsObjectIDsDo() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let hex = try #require(ObjectID(bytes: bytes)).hex
            let key = try #require(DigestKey(hex: hex))
            #expect(key.withBytes { Array($0) } == bytes)
            #expect(DigestKey(hex: hex.uppercased()) == key)
            #expect(Set([key, try #require(DigestKey(hex: hex))]).count == 1)
        }
        let good = String(repeating: "ab", count: 32)
        #expect(DigestKey(hex: good) != nil)
        for bad in [String(good.dropLast()), good + "a", String(good.dropLast()) + "g", String(good.dropLast()) + " ", "", "é" + String(good.dropFirst(2))] {
            #expect(DigestKey(hex: bad) == nil, "\(bad)")
            #expect(ObjectID(hex: bad) == nil, "\(bad)")
        }
        #expect(DigestKey(hex: String(repeating: "0", count: 63) + "1") != DigestKey(hex: "1" + String(repeating: "0", count: 63)))
    }
}
