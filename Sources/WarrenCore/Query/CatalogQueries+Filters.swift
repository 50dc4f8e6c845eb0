import Foundation
import GRDB

/// Filters and keyset pagination for `GET /v1/backups` (the service's history listing).
public struct BackupFilter: Sendable, Equatable {
    /// `unverified` selects backups never verified; the others match `last_verdict`.
    public static let verdicts: Set<String> = ["viable", "viable_with_warnings", "not_viable", "unverified"]
    public static let maximumLimit = 1000

    public var node: String?
    /// Inclusive bounds on `taken_at` (catalog format, which sorts as text).
    public var since: String?
    public var until: String?
    public var verdict: String?
    public var limit: Int
    /// Continue after this position (from ``BackupPage/nextCursor``).
    public var cursor: BackupCursor?

    public init(node: String? = nil, since: String? = nil, until: String? = nil, verdict: String? = nil,
                limit: Int = 50, cursor: BackupCursor? = nil) {
        self.node = node
        self.since = since
        self.until = until
        self.verdict = verdict
        self.limit = limit
        self.cursor = cursor
    }
}

/// A position in the newest-first order: the last row of a page (taken_at, id).
public struct BackupCursor: Sendable, Equatable {
    public var takenAt: String
    public var id: Int64

    public init(takenAt: String, id: Int64) {
        self.takenAt = takenAt
        self.id = id
    }

    /// The token: `SECONDS.ID`, the Unix time of `taken_at` and the id (e.g. `1790000000.42`).
    /// Plain enough for an API document to describe exactly (every token that matches its
    /// pattern is a position, so no well-formed cursor is refused).
    public var token: String {
        let seconds = Timestamp.parse(takenAt).map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? 0
        return "\(seconds).\(id)"
    }

    /// Parses a token of the form of ``token`` (seconds 0 to 11 digits without a leading zero,
    /// id from 1, at most 18 digits); nil for anything else.
    public init?(token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        func digits(_ s: Substring, max: Int, zero: Bool) -> Int64? {
            guard (1...max).contains(s.count), s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            guard s.first != "0" || (zero && s == "0") else { return nil }
            return Int64(s)
        }
        guard parts.count == 2, let seconds = digits(parts[0], max: 11, zero: true), let id = digits(parts[1], max: 18, zero: false) else {
            return nil
        }
        self.init(takenAt: Timestamp.format(Date(timeIntervalSince1970: Double(seconds))), id: id)
    }
}

/// One page of backups, newest first, and the cursor of the next page (nil on the last).
public struct BackupPage: Sendable {
    public var backups: [BackupSummary]
    public var nextCursor: BackupCursor?
}

extension CatalogQueries {
    /// How many backups the catalog holds.
    public func count() throws -> Int {
        do {
            return try catalog.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM backup") ?? 0 }
        } catch {
            throw WarrenError.catalog(detail: "\(error)")
        }
    }

    /// Backups matching `filter`, newest first (taken_at, then id), one page at a time.
    public func page(_ filter: BackupFilter) throws -> BackupPage {
        let limit = max(1, min(filter.limit, BackupFilter.maximumLimit))
        do {
            return try catalog.reader.read { db in
                var clauses: [String] = []
                var arguments: StatementArguments = []
                if let node = filter.node { clauses.append("node = ?"); arguments += [node] }
                if let since = filter.since { clauses.append("taken_at >= ?"); arguments += [since] }
                if let until = filter.until { clauses.append("taken_at <= ?"); arguments += [until] }
                if let verdict = filter.verdict {
                    if verdict == "unverified" {
                        clauses.append("last_verdict IS NULL")
                    } else {
                        clauses.append("last_verdict = ?"); arguments += [verdict]
                    }
                }
                if let cursor = filter.cursor {
                    clauses.append("(taken_at < ? OR (taken_at = ? AND id < ?))")
                    arguments += [cursor.takenAt, cursor.takenAt, cursor.id]
                }
                var sql = "SELECT * FROM backup"
                if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
                sql += " ORDER BY taken_at DESC, id DESC LIMIT ?"
                arguments += [limit + 1]
                // Cached: compiling the statement (and GRDB's authorizer) was a tenth of a request.
                var rows = try BackupSummary.fetchAll(try db.cachedStatement(sql: sql), arguments: arguments)
                var next: BackupCursor?
                if rows.count > limit {
                    rows.removeLast()
                    next = rows.last.map { BackupCursor(takenAt: $0.takenAt, id: $0.id) }
                }
                return BackupPage(backups: rows, nextCursor: next)
            }
        } catch let error as WarrenError {
            throw error
        } catch {
            throw WarrenError.catalog(detail: "\(error)")
        }
    }
}
