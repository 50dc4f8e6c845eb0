import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// Issue 17 §4 step 2: the `backup` row is read as a `Codable` record (``BackupSummary``),
/// written from the manifest's header (``NewBackupRow``, ``CompletedBackupRow``) and read
/// back into it; `list --json` and `show --json` keep every key, null when unset.
@Suite struct BackupRowsTests {
    struct Fixture {
        let dir = TemporaryDirectory("warren-backup-rows")
        let repo: Repository
        let tree: BackupTree

        init() throws {
            repo = try Repository.initialize(at: dir.file("repo"))
            tree = try BackupTree.standard(at: dir.file("backup"))
        }

        func register() throws -> Int64 {
            try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "rabbit@a", label: "nightly"))
        }

        func summaryJSON(_ id: Int64) throws -> String {
            try WarrenJSON.string(try CatalogQueries(catalog: repo.catalog).summary(id: id))
        }
    }

    /// Each column holds a value no other column holds, so the JSON shows which column every
    /// key was read from; the text is what the hand mapping of `init(row:)` printed.
    @Test func summaryJSONIsTheRowColumnByColumn() throws {
        let f = try Fixture()
        let id = try f.register()
        try CatalogAccess.write(f.repo.catalog) { db in
            try db.execute(sql: """
                UPDATE backup SET taken_at = '2026-01-02T03:04:05Z', created_at = '2026-01-02T03:05:00Z',
                    completed_at = '2026-01-02T03:06:00Z', consistent = 0, broker_version = '3.13.7',
                    definitions_sha256 = X'00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
                    vhost_count = 1, queue_count = 2, exchange_count = 3, binding_count = 4, policy_count = 5,
                    user_count = 6, users_with_password = 7, permission_count = 8, stored_vhost_count = 9,
                    stored_queue_count = 10, file_count = 11, logical_bytes = 12, added_objects = 13, added_bytes = 14,
                    parent_id = 15, bytes_read = 16, files_reused = 17, message_count = 18, message_bytes = 19,
                    last_verdict = 'viable_with_warnings', last_verified_at = '2026-01-03T00:00:00Z',
                    pinned = 1, pin_note = 'keep', pinned_at = '2026-01-04T00:00:00Z'
                WHERE id = ?
                """, arguments: [id])
        }
        let expected = """
            {
              "added_bytes" : 14,
              "added_objects" : 13,
              "binding_count" : 4,
              "broker_version" : "3.13.7",
              "bytes_read" : 16,
              "completed_at" : "2026-01-02T03:06:00Z",
              "consistent" : false,
              "created_at" : "2026-01-02T03:05:00Z",
              "definitions_sha256" : "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
              "exchange_count" : 3,
              "failure" : null,
              "file_count" : 11,
              "files_reused" : 17,
              "id" : \(id),
              "label" : "nightly",
              "last_verdict" : "viable_with_warnings",
              "last_verified_at" : "2026-01-03T00:00:00Z",
              "logical_bytes" : 12,
              "message_bytes" : 19,
              "message_count" : 18,
              "node" : "rabbit@a",
              "parent_id" : 15,
              "permission_count" : 8,
              "pin_note" : "keep",
              "pinned" : true,
              "pinned_at" : "2026-01-04T00:00:00Z",
              "policy_count" : 5,
              "queue_count" : 2,
              "source" : "register",
              "state" : "complete",
              "stored_queue_count" : 10,
              "stored_vhost_count" : 9,
              "taken_at" : "2026-01-02T03:04:05Z",
              "user_count" : 6,
              "users_with_password" : 7,
              "vhost_count" : 1
            }
            """
        let json = try f.summaryJSON(id)
        #expect(json == expected, "\(json)")
        // What the API answers, the CLI's service client reads back into the same value.
        let summary = try CatalogQueries(catalog: f.repo.catalog).summary(id: id)
        #expect(try WarrenJSON.decoder().decode(BackupSummary.self, from: Data(json.utf8)) == summary)
        // A page of summaries is written by hand for speed: JSONEncoder's bytes.
        #expect(SummaryPageJSON.encode([summary, summary]) == (try WarrenJSON.encoder().encode([summary, summary])))
        #expect(summary.state == .complete && summary.source == .register && summary.lastVerdict == .viableWithWarnings)
    }

    /// ``SummaryPageJSON`` escapes strings as JSONEncoder does: every ASCII control
    /// character, quotes, backslashes, slashes and non-ASCII text; null and false and
    /// negative numbers; an empty list.
    @Test func thePageWriterGivesJSONEncodersBytesForAnyText() throws {
        let f = try Fixture()
        let base = try CatalogQueries(catalog: f.repo.catalog).summary(id: try f.register())
        var odd = base
        odd.label = String((0..<128).map { Character(Unicode.Scalar(UInt8($0))) })
        odd.pinNote = "quote \" backslash \\ slash / é 日本 😀 \u{2028} \u{FEFF}"
        odd.node = "rabbit@host/with\ttab"
        odd.failure = ""
        odd.pinned = true
        odd.consistent = false
        odd.parentId = -1
        odd.lastVerdict = .notViable
        var empty = base
        empty.label = nil
        empty.consistent = nil
        empty.definitionsSha256 = nil
        empty.lastVerdict = nil
        for page in [[], [base], [odd, empty, base]] {
            #expect(SummaryPageJSON.encode(page) == (try WarrenJSON.encoder().encode(page)))
            #expect(try WarrenJSON.string(page) == String(decoding: try WarrenJSON.encoder().encode(page), as: UTF8.self))
        }
    }

    /// A failed backup's row has no figures: every key is still there, null when unset, and
    /// a never-pinned row reads `pinned: false` (the column's default).
    @Test func failedRowKeepsEveryKeyWithNulls() throws {
        let f = try Fixture()
        struct Boom: Error {}
        var registrar = Registrar(repository: f.repo)
        registrar.beforeEachFile = { path in if path.hasSuffix(".rdq") { throw Boom() } }
        #expect(throws: Boom.self) { try registrar.register(RegisterRequest(directory: f.tree.root, node: "rabbit@a")) }
        let summary = try #require(try CatalogQueries(catalog: f.repo.catalog).list().first)
        #expect(summary.state == .failed && summary.source == .register && !summary.pinned)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try f.summaryJSON(summary.id).utf8)) as? [String: Any])
        #expect(object.count == 36, "\(object.keys.sorted())")
        let nulls = object.filter { $0.value is NSNull }.map(\.key).sorted()
        #expect(nulls == [
            "broker_version", "bytes_read", "consistent", "definitions_sha256", "files_reused", "label", "last_verdict",
            "last_verified_at", "message_bytes", "message_count", "parent_id", "pin_note", "pinned_at",
        ], "\(nulls)")
        #expect(object["state"] as? String == "failed" && object["vhost_count"] as? Int == 0 && object["pinned"] as? Bool == false)
        #expect(SummaryPageJSON.encode([summary]) == (try WarrenJSON.encoder().encode([summary])))
    }

    /// The complete row is the manifest's header: it reads back as the stored header, and
    /// every column the header writes is one `list` shows (but the source path, which only
    /// `check` and the manifest hold).
    @Test func completedRowIsTheManifestHeader() throws {
        let f = try Fixture()
        let id = try f.register()
        let stored = try #require(try f.repo.manifests.read(id)?.get())
        let header = try f.repo.catalog.reader.read {
            try BackupManifest.Header.fetchOne($0, sql: "SELECT * FROM backup WHERE id = ?", arguments: [id])
        }
        #expect(header == stored.backup)
        let columns = Set(try stored.backup.databaseDictionary.keys)
        let shown = Set(try #require(try JSONSerialization.jsonObject(with: Data(try f.summaryJSON(id).utf8)) as? [String: Any]).keys)
        #expect(columns.subtracting(shown) == ["source_path"], "\(columns.subtracting(shown))")
        #expect(columns.count == 18, "\(columns.sorted())")

        let summary = try CatalogQueries(catalog: f.repo.catalog).summary(id: id)
        #expect(summary.takenAt == stored.backup.takenAt && summary.completedAt == stored.backup.completedAt)
        #expect(summary.parentId == stored.backup.parentID && summary.userCount == stored.backup.userCount)
        #expect(summary.definitionsSha256?.hex == stored.definitions.sha256 && summary.fileCount == stored.files.count)
    }

    /// A manifest that is recorded twice (check's import racing a writer) changes nothing:
    /// the second completion leaves the row, its pin and its verdict as they were.
    @Test func completingAgainKeepsPinAndVerdict() throws {
        let f = try Fixture()
        let id = try f.register()
        let manifest = try #require(try f.repo.manifests.read(id)?.get())
        _ = try f.repo.catalog.pin(id: id, .init(note: "keep", pinnedAt: "2026-01-04T00:00:00Z"))
        let before = try f.summaryJSON(id)
        try CatalogAccess.write(f.repo.catalog) { try BackupRows.markComplete(manifest, in: $0) }
        #expect(try f.summaryJSON(id) == before)
        #expect(try CatalogQueries(catalog: f.repo.catalog).summary(id: id).pinNote == "keep")
    }
}
