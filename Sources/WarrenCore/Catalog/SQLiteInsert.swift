import GRDB
import GRDBSQLite

/// An INSERT prepared once per connection (GRDB's statement cache) and run through SQLite's
/// C API, for the few places where rows go in by the million: a rebuild of 10,000 backups
/// writes 10 million `manifest_file` rows. GRDB's `StatementArguments` box every value in a
/// `DatabaseValue` and check it; that was about a sixth of a rebuild's writer thread, which
/// is its critical path (issue 17). Values are bound by position, as in the SQL.
///
/// Use inside a GRDB write (the transaction and its commit stay GRDB's). GRDB does not see
/// these rows as statements of its own, so transaction observers are not told of them: the
/// catalog registers none.
struct SQLiteInsert {
    private let statement: Statement
    private let handle: SQLiteStatement
    private let connection: SQLiteConnection?

    /// SQLite copies the bound bytes before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
    }

    func bind(_ index: Int32, _ value: Int64) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    func bind(_ index: Int32, _ value: Int64?) throws {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        try bind(index, value)
    }

    func bind(_ index: Int32, _ value: String) throws {
        var text = value
        try text.withUTF8 { utf8 in
            // A null pointer would bind NULL, not the empty text.
            guard let base = utf8.baseAddress, !utf8.isEmpty else { return try check(sqlite3_bind_text(handle, index, "", 0, Self.transient)) }
            try check(base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                sqlite3_bind_text(handle, index, $0, Int32(utf8.count), Self.transient)
            })
        }
    }

    func bind(_ index: Int32, _ value: String?) throws {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        try bind(index, value)
    }

    func bind(_ index: Int32, blob: UnsafeRawBufferPointer) throws {
        try check(sqlite3_bind_blob(handle, index, blob.baseAddress, Int32(blob.count), Self.transient))
    }

    /// Runs the statement with the values bound, then resets it and clears its bindings for
    /// the next row (or for GRDB, which may hand the cached statement out again).
    func step() throws {
        let code = sqlite3_step(handle)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        guard code == SQLITE_DONE else { throw error(code) }
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            throw error(code)
        }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}
