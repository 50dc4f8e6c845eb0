import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// Issue 17 §1–§3: every complete backup has a manifest in the repository, the catalog can
/// be rebuilt from the manifests alone, and `check` compares the two.
@Suite struct ManifestTests {
    struct Fixture {
        let dir = TemporaryDirectory("warren-manifest")
        let repo: Repository
        let tree: BackupTree

        init() throws {
            repo = try Repository.initialize(at: dir.file("repo"))
            tree = try BackupTree.standard(at: dir.file("backup"))
        }

        @discardableResult
        func register(label: String? = nil, node: String = "rabbit@a") throws -> Int64 {
            try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: node, label: label))
        }

        func manifestPath(_ id: Int64) -> String { repo.path + "/" + StorageName.manifest(backupID: id).path }

        /// What list and show print, as JSON: the views a rebuild must reproduce.
        func views() throws -> [String] {
            let queries = CatalogQueries(catalog: repo.catalog)
            let list = try queries.list()
            return [try WarrenJSON.string(list)] + (try list.map { try WarrenJSON.string(try queries.detail(id: $0.id)) })
        }
    }

    @Test func registerWritesAChecksummedManifestEqualToTheCatalog() throws {
        let f = try Fixture()
        let id = try f.register(label: "nightly")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: f.manifestPath(id))))
        let header = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        #expect(header.hasPrefix("warren-manifest v1 sha256="), "\(header)")
        // The header's checksum is the SHA-256 of the body (checked with coreutils).
        let body = f.dir.file("body")
        try Data(bytes.drop { $0 != UInt8(ascii: "\n") }.dropFirst()).write(to: URL(fileURLWithPath: body))
        let digest = try run("/usr/bin/sha256sum", [body]).prefix(64)
        #expect(header.contains("sha256=\(digest) "))
        #expect(try Posix.lstatOrThrow(f.manifestPath(id)).mode & 0o777 == 0o400)

        let stored = try #require(try f.repo.manifests.read(id)?.get())
        let fromCatalog = try #require(try f.repo.catalog.reader.read { try ManifestLoader.load(id: id, in: $0) })
        #expect(stored == fromCatalog)
        #expect(stored.backup.label == "nightly" && stored.backup.source == .register)
        #expect(stored.files.count == 11)
        #expect(stored.storedQueues.map(\.name) .sorted { ($0 ?? "") < ($1 ?? "") } == ["emails", "orders"])
        let summary = try CatalogQueries(catalog: f.repo.catalog).summary(id: id)
        #expect(stored.definitions.sha256 == summary.definitionsSha256?.hex)
        #expect(stored.backup.addedObjects == summary.addedObjects)
        // A second backup of the same tree adds nothing, and says so in its manifest too.
        let second = try f.register()
        #expect(try f.repo.manifests.read(second)?.get().backup.addedObjects == 0)
    }

    @Test func rebuildAfterDeletingTheCatalogGivesIdenticalViews() throws {
        let f = try Fixture()
        let first = try f.register(label: "first")
        let second = try f.register(label: "second", node: "rabbit@b")
        // Repository state outside the manifests (issue 17 §2): a pin with a note, a verdict, policies.
        try Pinning(catalog: f.repo.catalog).pin(id: first, note: "before the migration")
        _ = try Verifier(repository: f.repo).verify(id: second)
        try PolicyStore(catalog: f.repo.catalog).set(RetentionPolicy(keepLast: 3, keepWithin: RetentionDuration("14d")), node: nil)
        try PolicyStore(catalog: f.repo.catalog).set(RetentionPolicy(keepDaily: 7), node: "rabbit@b")
        try PolicyStore(catalog: f.repo.catalog).set(RetentionPolicy(keepDaily: 9), node: "rabbit@gone")
        try PolicyStore(catalog: f.repo.catalog).unset(node: "rabbit@gone")
        let policies = try PolicyStore(catalog: f.repo.catalog).list()
        let before = try f.views()
        #expect(before[0].contains("\"pin_note\" : \"before the migration\""))
        #expect(before[0].contains("\"last_verdict\" : \"viable"))
        let path = f.repo.path
        for suffix in ["", "-wal", "-shm"] { unlink(path + "/catalog.sqlite" + suffix) }

        let report = try CatalogRebuilder(repositoryPath: path).rebuild()
        #expect(report.backups == 2 && report.unreadable.isEmpty && report.previousCatalog == nil)
        let rebuilt = try Repository.open(at: path)
        let queries = CatalogQueries(catalog: rebuilt.catalog)
        let list = try queries.list()
        let after = [try WarrenJSON.string(list)] + (try list.map { try WarrenJSON.string(try queries.detail(id: $0.id)) })
        #expect(after == before)
        #expect(try PolicyStore(catalog: rebuilt.catalog).list() == policies)
        #expect(try RepositoryChecker.dryRun(in: rebuilt).findings.isEmpty)
        // The bulk load dropped the file index by object and made it again: the schema is a migrated one's.
        let indexes = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        let fresh = try Repository.initialize(at: f.dir.file("fresh"))
        #expect(try CatalogAccess.read(rebuilt.catalog) { try Row.fetchAll($0, sql: indexes) }
            == (try CatalogAccess.read(fresh.catalog) { try Row.fetchAll($0, sql: indexes) }))
        // Ids go on from the highest one recorded.
        let next = try Registrar(repository: rebuilt).register(RegisterRequest(directory: f.tree.root, node: "rabbit@a"))
        #expect(next == 3)
    }

    /// The importer reads the next batch of manifests while it writes one: with one manifest
    /// to a batch, every read-ahead is used, in order, and tombstoned, damaged and missing
    /// manifests are reported as such.
    @Test func theImporterReadsAheadAcrossBatchesInOrder() throws {
        let f = try Fixture()
        let ids = try (1...4).map { try f.register(label: "b\($0)") }
        try Data("warren-manifest v1 sha256=00 bytes=2\n{}".utf8).write(to: URL(fileURLWithPath: f.manifestPath(ids[2])))
        let store = f.repo.manifests
        let target = try Catalog(creatingAt: f.dir.file("import.sqlite"), mode: 0o600)
        let imported = try target.bulkLoad {
            try CatalogRebuilder.record(ids + [99], skipping: [ids[1]], from: store, into: target, batchSize: 1)
        }
        #expect(imported.recorded == [ids[0], ids[3]])
        #expect(imported.deleted == [ids[1]])
        #expect(imported.unreadable.count == 1 && imported.unreadable[0].contains("backup \(ids[2])"))
        #expect(imported.files == 2 * (try CatalogQueries(catalog: f.repo.catalog).detail(id: ids[0]).backup.fileCount))
    }

    /// Issue 16 §2: the broker survey of `backup --stop-app` is part of the manifest, so a
    /// rebuilt catalog gives the same losses (`backup --json`, server jobs) and the same verify
    /// findings; a manifest without it (register, older backups) has no such key and loads.
    @Test func theBrokerSurveyIsInTheManifestSoARebuiltCatalogShowsTheSameLosses() throws {
        let f = try Fixture()
        let registered = try f.register()
        let plain = String(decoding: try Data(contentsOf: URL(fileURLWithPath: f.manifestPath(registered))), as: UTF8.self)
        #expect(!plain.contains("broker_survey"), "a manifest without a survey is written as before")
        #expect(try f.repo.manifests.read(registered)?.get().brokerSurvey == nil)

        let survey = BrokerSurvey(
            queues: [
                .init(vhost: "shop/eu", name: "emails", type: "classic", durable: true, exclusive: false, autoDelete: false, messages: 4, messagesPersistent: 4),
                .init(vhost: "/", name: "orders", type: "classic", durable: true, exclusive: false, autoDelete: false, messages: 7, messagesPersistent: 4),
                .init(vhost: "/", name: "scratch", type: "classic", durable: false, exclusive: false, autoDelete: false, messages: 5, messagesPersistent: 0),
            ],
            exchanges: [
                .init(vhost: "/", name: "tmp.events", type: "fanout", durable: false, internal: false),
                .init(vhost: "/", name: "int.route", type: "topic", durable: true, internal: true),
            ])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: f.tree.root + "/definitions.json")))
        let source = IngestSource(
            node: "rabbit@a", label: "stopped", takenAt: Date(), origin: .backup, sourcePath: f.tree.root, consistent: true,
            definitionsPath: "definitions", definitionsBytes: bytes, definitions: try DefinitionsParser.parse(bytes, path: "definitions"),
            msgStoresPath: f.tree.msgStores, includeTransient: false, survey: survey)
        let id = try f.repo.withWriteLock(command: "backup") { try BackupWriter(repository: f.repo).write(source, progress: nil) }

        let stored = try #require(try f.repo.manifests.read(id)?.get())
        #expect(stored.brokerSurvey?.queues.map(\.name) == ["orders", "scratch", "emails"], "sorted by (vhost, name)")
        #expect(stored.brokerSurvey?.exchanges.map(\.name) == ["int.route", "tmp.events"])
        let losses = [
            StopLoss(kind: .nonDurableQueue, vhost: "/", queue: "scratch", messages: 5),
            StopLoss(kind: .transientMessages, vhost: "/", queue: "orders", messages: 3),
            StopLoss(kind: .nonDurableExchange, vhost: "/", exchange: "tmp.events"),
        ]
        #expect(try BackupOutcome.load(id: id, catalog: f.repo.catalog).losses == losses)
        #expect(try BackupOutcome.load(id: registered, catalog: f.repo.catalog).losses == [])
        let json = try WarrenJSON.string(try BackupOutcome.load(id: id, catalog: f.repo.catalog))
        #expect(json.contains("\"kind\" : \"non_durable_exchange\"") && json.contains("\"queue\" : null"), "\(json)")
        let findings = try Verifier(repository: f.repo).verify(id: id).findings.map { "\($0.code.rawValue) \($0.queue ?? "")" }.sorted()
        #expect(findings.contains("messages_not_backed_up orders") && findings.contains("exchange_not_durable "), "\(findings)")

        let path = f.repo.path
        for suffix in ["", "-wal", "-shm"] { unlink(path + "/catalog.sqlite" + suffix) }
        #expect(try CatalogRebuilder(repositoryPath: path).rebuild().backups == 2)
        let rebuilt = try Repository.open(at: path)
        #expect(try BackupOutcome.load(id: id, catalog: rebuilt.catalog).losses == losses)
        #expect(try Verifier(repository: rebuilt).verify(id: id).findings.map { "\($0.code.rawValue) \($0.queue ?? "")" }.sorted() == findings)
        #expect(try RepositoryChecker.dryRun(in: rebuilt).findings.isEmpty, "the catalog's survey rows equal the manifest's")
    }

    @Test func rebuildRefusesAHealthyCatalogAndWritesToAScratchFile() throws {
        let f = try Fixture()
        try f.register()
        let path = f.repo.path
        #expect {
            try CatalogRebuilder(repositoryPath: path).rebuild()
        } throws: { error in
            guard case let WarrenError.rebuildRefused(target, reason)? = error as? WarrenError else { return false }
            return target == path + "/catalog.sqlite" && reason.hasPrefix("is a healthy catalog") && (error as! WarrenError).exitCode == 15
        }
        let scratch = f.dir.file("scratch.sqlite")
        let report = try CatalogRebuilder(repositoryPath: path, output: scratch).rebuild()
        #expect(report.catalog == scratch && report.backups == 1)
        let count = try DatabaseQueue(path: scratch).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM manifest_file") }
        #expect(count == 11)
        #expect(throws: WarrenError.rebuildRefused(path: scratch, reason: "exists")) {
            try CatalogRebuilder(repositoryPath: path, output: scratch).rebuild()
        }
        // --force replaces a healthy catalog and keeps the old one.
        let forced = try CatalogRebuilder(repositoryPath: path, force: true).rebuild()
        #expect(forced.previousCatalog == path + "/catalog.sqlite.before-rebuild")
        #expect(try Repository.open(at: path).catalog.reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM backup") } == 1)
    }

    @Test func aFlippedByteIsReportedByCheckNamingTheBackupAndRepaired() throws {
        let f = try Fixture()
        let id = try f.register()
        let path = f.manifestPath(id)
        chmod(path, 0o600)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 10] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let dry = try RepositoryChecker.dryRun(in: f.repo)
        let finding = try #require(dry.findings.first { $0.code == "manifest_damaged" })
        #expect(finding.backup == id && finding.severity == .error && !finding.fixed)
        #expect(finding.message.contains("backup \(id)") && finding.message.contains("SHA-256 does not match"), "\(finding.message)")
        let verify = try Verifier(repository: f.repo).verify(id: id)
        #expect(verify.findings.contains { $0.code == .manifestDamaged && $0.message.contains("backup \(id)") })
        // A rebuild leaves the damaged backup out and says so.
        let scratch = try CatalogRebuilder(repositoryPath: f.repo.path, output: f.dir.file("s.sqlite")).rebuild()
        #expect(scratch.backups == 0 && scratch.unreadable.count == 1)

        let repaired = try RepositoryChecker(repository: f.repo).check()
        #expect(repaired.findings.first { $0.code == "manifest_damaged" }?.fixed == true)
        #expect(try RepositoryChecker.dryRun(in: f.repo).findings.isEmpty)
        #expect(try f.repo.manifests.read(id)?.get() != nil)
    }

    @Test func checkRecordsAManifestWhoseCatalogTransactionNeverRan() throws {
        let f = try Fixture()
        let id = try f.register(label: "kept")
        let before = try f.views()
        // As after a crash between the manifest and the catalog commit: the row is still in progress.
        try f.repo.catalog.write { db in
            try db.execute(sql: "DELETE FROM backup WHERE id = ?", arguments: [id])
            try db.execute(sql: """
                INSERT INTO backup (id, node, label, taken_at, created_at, state, source) VALUES (?, 'rabbit@a', 'kept', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'in_progress', 'register')
                """, arguments: [id])
        }
        let dry = try RepositoryChecker.dryRun(in: f.repo)
        #expect(dry.findings.contains { $0.code == "manifest_not_in_catalog" && $0.backup == id })
        let report = try RepositoryChecker(repository: f.repo).check()
        #expect(report.findings.first { $0.code == "manifest_not_in_catalog" }?.fixed == true)
        #expect(!report.findings.contains { $0.code == "backup_interrupted" })
        #expect(try f.views() == before)
    }

    @Test func pruneRemovesManifestsSoARebuildNeverBringsDeletedBackupsBack() throws {
        let f = try Fixture()
        let old = try f.register()
        let kept = try f.register()
        _ = try Pruner(repository: f.repo).prune(PruneRequest(policy: RetentionPolicy(keepLast: 1)))
        #expect(try f.repo.manifests.manifestIDs() == [kept])
        #expect(try f.repo.manifests.tombstoneIDs().isEmpty)
        // A tombstone left by a prune killed after its transaction still hides the manifest.
        try f.repo.manifests.writeTombstones([kept])
        let scratch = try CatalogRebuilder(repositoryPath: f.repo.path, output: f.dir.file("s.sqlite")).rebuild()
        #expect(scratch.backups == 0 && scratch.deleted == [kept])
        // The live catalog still holds it: check cancels the deletion instead.
        let report = try RepositoryChecker(repository: f.repo).check()
        #expect(report.findings.contains { $0.code == "deletion_cancelled" && $0.backup == kept && $0.fixed })
        #expect(try f.repo.manifests.tombstoneIDs().isEmpty)
        _ = old
    }

    @Test func gcCancelsATombstoneWhoseCatalogTransactionNeverRan() throws {
        let f = try Fixture()
        let kept = try f.register()
        // A prune killed after its tombstones and before its transaction: the next gc, like
        // the next prune, settles it, so the following check is clean (CrashSafety's kill loop).
        try f.repo.manifests.writeTombstones([kept])
        _ = try GarbageCollector(repository: f.repo).collect()
        #expect(try f.repo.manifests.tombstoneIDs().isEmpty)
        #expect(try f.repo.manifests.manifestIDs() == [kept])
        #expect(try RepositoryChecker(repository: f.repo).check(repair: false).clean)
    }

    @Test func aDamagedCatalogNamesTheFileAndTheRebuild() throws {
        let f = try Fixture()
        try f.register()
        let path = f.repo.path
        let catalog = path + "/catalog.sqlite"
        try f.repo.catalog.checkpoint(.truncate)
        // Emptied.
        let saved = try Data(contentsOf: URL(fileURLWithPath: catalog))
        for suffix in ["-wal", "-shm"] { unlink(catalog + suffix) }
        try Data().write(to: URL(fileURLWithPath: catalog))
        #expect {
            _ = try Repository.open(at: path)
        } throws: { error in
            let e = error as? WarrenError
            return e?.exitCode == 6 && e!.description.contains(catalog) && e!.description.contains("warren catalog rebuild")
        }
        // Overwritten pages (the header survives).
        var bytes = [UInt8](saved)
        for i in 4096..<min(bytes.count, 4096 * 6) { bytes[i] = 0xA5 }
        try Data(bytes).write(to: URL(fileURLWithPath: catalog))
        #expect {
            let repo = try Repository.open(at: path)
            _ = try CatalogQueries(catalog: repo.catalog).list()
            _ = try CatalogQueries(catalog: repo.catalog).detail(id: 1)
        } throws: { error in
            let e = error as? WarrenError
            return e?.exitCode == 6 && e!.description.contains(catalog) && e!.description.contains("warren catalog rebuild")
        }
        let report = try CatalogRebuilder(repositoryPath: path).rebuild()
        #expect(report.backups == 1 && report.previousCatalog != nil)
        #expect(try CatalogQueries(catalog: Repository.open(at: path).catalog).list().count == 1)
    }

    /// Issue 17 §6. The shipped (v1) layout is this branch's catalog without `manifests/` and
    /// `state/`: the schema is the same (no migration was added) and the rows are the ones the
    /// shipped ingest wrote (same columns and values; see the note on faithfulness).
    @Test func upgradeOfAShippedRepositoryKeepsBackupsPinsAndPolicies() throws {
        let f = try Fixture()
        let first = try f.register(label: "first")
        let second = try f.register(label: "second")
        try Pinning(catalog: f.repo.catalog).pin(id: first, note: "keep")
        _ = try Verifier(repository: f.repo).verify(id: second)
        try PolicyStore(catalog: f.repo.catalog).set(RetentionPolicy(keepLast: 2), node: "rabbit@a")
        let policies = try PolicyStore(catalog: f.repo.catalog).list()
        let before = try f.views()
        try FileManager.default.removeItem(atPath: f.repo.path + "/manifests")
        try FileManager.default.removeItem(atPath: f.repo.path + "/state")
        #expect(CatalogUpgrader.isNeeded(f.repo))
        #expect(try RepositoryChecker.dryRun(in: f.repo).findings.filter { $0.code == "manifest_missing" }.compactMap(\.backup) == [first, second])

        let report = try CatalogUpgrader(repository: f.repo).upgrade()
        #expect(report == .init(manifestsWritten: 2, manifestsPresent: 0, pins: 1, verdicts: 1, policies: 1))
        #expect(!CatalogUpgrader.isNeeded(f.repo))
        #expect(try RepositoryChecker.dryRun(in: f.repo).findings.isEmpty)
        #expect(try CatalogUpgrader(repository: f.repo).upgrade().manifestsPresent == 2)

        for suffix in ["", "-wal", "-shm"] { unlink(f.repo.path + "/catalog.sqlite" + suffix) }
        _ = try CatalogRebuilder(repositoryPath: f.repo.path).rebuild()
        let rebuilt = try Repository.open(at: f.repo.path)
        let queries = CatalogQueries(catalog: rebuilt.catalog)
        let list = try queries.list()
        #expect([try WarrenJSON.string(list)] + (try list.map { try WarrenJSON.string(try queries.detail(id: $0.id)) }) == before)
        #expect(try PolicyStore(catalog: rebuilt.catalog).list() == policies)
    }
}
