import Foundation
import GRDB
import Testing
@testable import WarrenCore

@Suite struct RegisterTests {
    struct Fixture {
        let dir = TemporaryDirectory()
        let repo: Repository
        let tree: BackupTree

        init() throws {
            repo = try Repository.initialize(at: dir.file("repo"))
            tree = try BackupTree.standard(at: dir.file("backup"))
        }

        func register(_ path: String? = nil, node: String = "rabbit@a", label: String? = nil) throws -> Int64 {
            try Registrar(repository: repo).register(RegisterRequest(directory: path ?? tree.root, node: node, label: label))
        }

        var backupRows: [Row] {
            get throws { try repo.catalog.reader.read { try Row.fetchAll($0, sql: "SELECT * FROM backup ORDER BY id") } }
        }

        /// Every file under objects/ is named by the SHA-256 of its content (checked with
        /// coreutils, independently of Warren's hashing).
        func objectFiles() throws -> [String] {
            let out = try run("/bin/sh", ["-c", "cd '\(repo.path)/objects' && find . -type f | sort"])
            return out.split(separator: "\n").map { String($0.dropFirst(2)) }
        }

        func verifyObjectNames() throws {
            let out = try run("/bin/sh", ["-c", "cd '\(repo.path)/objects' && find . -type f -exec sha256sum {} +"])
            for line in out.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                #expect(parts[1].hasSuffix("/" + parts[0]), "object \(parts[1]) does not hash to its name")
            }
        }
    }

    @Test func recordsInventoryAndManifest() throws {
        let f = try Fixture()
        let id = try f.register(label: "nightly")
        let summary = try CatalogQueries(catalog: f.repo.catalog).summary(id: id)
        #expect(summary.state == .complete)
        #expect(summary.label == "nightly")
        #expect(summary.brokerVersion == "3.10.8")
        #expect(summary.vhostCount == 2 && summary.queueCount == 2)
        #expect(summary.storedVhostCount == 2 && summary.storedQueueCount == 2)
        // Files: per vhost .vhost + .config; v1 queue: .queue_name, 0.idx, journal.jif;
        // v2 queue: .queue_name, 0.qi, 0.qs; one rdq.
        #expect(summary.fileCount == 4 + 3 + 3 + 1)
        #expect(summary.logicalBytes == f.tree.totalBytes)
        let defsSum = try run("/usr/bin/sha256sum", [f.tree.root + "/definitions.json"]).prefix(64)
        #expect(summary.definitionsSha256?.hex == String(defsSum))

        let detail = try CatalogQueries(catalog: f.repo.catalog).detail(id: id)
        let orders = try #require(detail.queues.first { $0.name == "orders" })
        #expect(orders.indexVersion == 1 && orders.hasData && orders.defined && orders.problem == nil)
        let emails = try #require(detail.queues.first { $0.name == "emails" })
        #expect(emails.vhost == "shop/eu" && emails.indexVersion == 2 && emails.type == "classic")

        let kinds = try f.repo.catalog.reader.read {
            try String.fetchAll($0, sql: "SELECT kind FROM manifest_file WHERE backup_id = ? ORDER BY path", arguments: [id])
        }
        #expect(Set(kinds) == ["meta", "idx", "journal", "qi", "qs", "rdq"])
        try f.verifyObjectNames()
    }

    @Test func secondRegisterAddsNothing() throws {
        let f = try Fixture()
        let first = try f.register()
        let objectsBefore = try f.objectFiles()
        let second = try f.register()
        let queries = CatalogQueries(catalog: f.repo.catalog)
        #expect(try queries.summary(id: first).addedBytes > 0)
        #expect(try queries.summary(id: second).addedBytes == 0)
        #expect(try queries.summary(id: second).addedObjects == 0)
        #expect(try f.objectFiles() == objectsBefore)
        #expect(try queries.list().map(\.id) == [second, first])
    }

    @Test func failureHalfWayRecordsNothingAsComplete() throws {
        let f = try Fixture()
        struct Boom: Error {}
        var registrar = Registrar(repository: f.repo)
        registrar.beforeEachFile = { path in if path.hasSuffix(".rdq") { throw Boom() } }
        #expect(throws: Boom.self) {
            try registrar.register(RegisterRequest(directory: f.tree.root, node: "rabbit@a"))
        }
        let rows = try f.backupRows
        #expect(rows.count == 1)
        #expect(rows.first?["state"] == "failed")
        let manifestRows = try f.repo.catalog.reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM manifest_file") }
        #expect(manifestRows == 0)
        #expect(try Posix.listDirectory(f.repo.objects.tempPath).isEmpty, "no partial object left in tmp/")
        try f.verifyObjectNames()
        // The same directory registers fine afterwards.
        let id = try f.register()
        #expect(try CatalogQueries(catalog: f.repo.catalog).summary(id: id).state == .complete)
    }

    @Test func refusesSymlinkInsideMsgStores() throws {
        let f = try Fixture()
        let link = f.tree.msgStores + "/vhosts/\(RabbitDirectoryName.vhost("/"))/msg_store_persistent/1.rdq"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/etc/passwd")
        try expectRefusal(f, at: link, mentioning: [link, "symbolic link"])
    }

    @Test func refusesSymlinkedDirectoryAndFIFO() throws {
        let f = try Fixture()
        let link = f.tree.msgStores + "/vhosts/EXTRA"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/etc")
        try expectRefusal(f, at: link, mentioning: [link, "symbolic link"])
        try FileManager.default.removeItem(atPath: link)
        let fifo = f.tree.msgStores + "/vhosts/\(RabbitDirectoryName.vhost("/"))/queues/fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        try expectRefusal(f, at: fifo, mentioning: [fifo, "FIFO"])
    }

    @Test func refusesMalformedQueueNameFile() throws {
        let f = try Fixture()
        let qdir = try f.tree.queue(vhost: "/", name: "bad", queueNameFile: Array("garbage".utf8))
        try expectRefusal(f, at: qdir + "/.queue_name", mentioning: [qdir + "/.queue_name", "malformed"])
        try f.tree.write(qdir + "/.queue_name", [0x56, 0x48, 0x4F, 0x53, 0x54, 0x3A, 0x20, 0xFF, 0x0A])
        try expectRefusal(f, at: qdir + "/.queue_name", mentioning: [qdir + "/.queue_name", "UTF-8"])
    }

    @Test func refusesMalformedVhostFile() throws {
        let f = try Fixture()
        let vdir = f.tree.msgStores + "/vhosts/\(RabbitDirectoryName.vhost("/"))"
        try f.tree.write(vdir + "/.vhost", [])
        try expectRefusal(f, at: vdir + "/.vhost", mentioning: [vdir + "/.vhost", "empty"])
    }

    /// Issue 12 §3: a node never hard-links files in msg_stores; a link to /etc/shadow (here
    /// a file outside the tree) must not be stored.
    @Test func refusesHardLinksNamingThem() throws {
        let f = try Fixture()
        let outside = f.dir.file("secret")
        try f.tree.write(outside, Array("root:$6$hash:19000:0:99999:7:::\n".utf8))
        let linked = f.tree.msgStores + "/vhosts/\(RabbitDirectoryName.vhost("/"))/msg_store_persistent/7.rdq"
        #expect(link(outside, linked) == 0)
        try expectRefusal(f, at: linked, mentioning: [linked, "2 hard links", "cp -a"])
        // The same content as a plain copy registers.
        try FileManager.default.removeItem(atPath: linked)
        try f.tree.write(linked, Array("root:$6$hash:19000:0:99999:7:::\n".utf8))
        #expect(try f.register() > 0)
    }

    /// Issue 12 §3: a `.queue_name` with CRLF line endings said "does not end with a newline".
    @Test func crlfQueueNameFileSaysCRLF() throws {
        let f = try Fixture()
        let qdir = try f.tree.queue(vhost: "/", name: "orders2", queueNameFile: Array("VHOST: /\r\nQUEUE: orders2\r\n".utf8))
        try expectRefusal(f, at: qdir + "/.queue_name", mentioning: [qdir + "/.queue_name", "CRLF", "cp -a"])
    }

    @Test func hostileNamesAreDataNotPaths() throws {
        let f = try Fixture()
        // A queue directory whose .queue_name claims names full of "..": stored as data,
        // flagged as not matching its directory, and nothing is written outside the repo.
        let evil = "VHOST: ../../../tmp\nQUEUE: ../x\n"
        let qdir = try f.tree.queue(vhost: "/", name: "innocent", queueNameFile: Array(evil.utf8))
        let vdir = try f.tree.vhost("../..", dir: "EVILVHOSTDIR")
        _ = vdir
        let outside = f.dir.path + "/tmp"
        let id = try f.register()
        #expect(!FileManager.default.fileExists(atPath: outside))
        let detail = try CatalogQueries(catalog: f.repo.catalog).detail(id: id)
        let q = try #require(detail.queues.first { $0.name == "../x" })
        #expect(q.vhost == "../../../tmp")
        #expect(q.problem == "no_definition")
        #expect(q.dirName == (qdir as NSString).lastPathComponent)
        let v = try #require(detail.vhosts.first { $0.name == "../.." })
        #expect(v.dirMatchesName == false && v.problem == "no_definition")
        let paths = try f.repo.catalog.reader.read { try String.fetchAll($0, sql: "SELECT path FROM manifest_file") }
        #expect(paths.allSatisfy { !$0.split(separator: "/").contains("..") })
    }

    @Test func refusesMissingPieces() throws {
        let f = try Fixture()
        try expectRefusal(f, path: f.dir.file("absent"), at: f.dir.file("absent"), mentioning: [f.dir.file("absent"), "does not exist"])
        try FileManager.default.removeItem(atPath: f.tree.root + "/definitions.json")
        try expectRefusal(f, at: f.tree.root, mentioning: [f.tree.root, "no definitions file"])
        try f.tree.definitions("{\"rabbit_version\": ", name: "definitions.backup")
        try expectRefusal(f, .definitions, at: f.tree.root + "/definitions.backup", mentioning: [f.tree.root + "/definitions.backup", "not valid JSON"])
        try f.tree.definitions("{\"rabbit_version\": \"3.10.8\", \"queues\": [{\"name\": \"q\"}]}", name: "definitions.backup")
        try expectRefusal(f, .definitions, at: f.tree.root + "/definitions.backup", mentioning: ["per-vhost export"])
        try f.tree.definitions(vhosts: ["/"], queues: [])
        try FileManager.default.removeItem(atPath: f.tree.msgStores)
        try expectRefusal(f, at: f.tree.msgStores, mentioning: [f.tree.msgStores, "does not exist"])
    }

    @Test func explicitDefinitionsFileIsUsed() throws {
        let f = try Fixture()
        try FileManager.default.moveItem(atPath: f.tree.root + "/definitions.json", toPath: f.dir.file("elsewhere.json"))
        let id = try Registrar(repository: f.repo).register(
            RegisterRequest(directory: f.tree.root, node: "n", takenAt: Timestamp.parse("2025-01-02T03:04:05Z"),
                            definitionsPath: f.dir.file("elsewhere.json")))
        let summary = try CatalogQueries(catalog: f.repo.catalog).summary(id: id)
        #expect(summary.takenAt == "2025-01-02T03:04:05Z")
        #expect(summary.queueCount == 2)
    }

    enum Refusal { case backup, definitions }

    /// Registering fails with exactly `invalidBackup` (or `invalidDefinitions`) naming the
    /// path `at` (exit 4), with a message naming each of `fragments`, and records nothing new.
    func expectRefusal(_ f: Fixture, path: String? = nil, _ kind: Refusal = .backup, at offending: String,
                       mentioning fragments: [String]) throws {
        let before = try f.backupRows.count
        let objectsBefore = try f.objectFiles()
        do {
            _ = try f.register(path)
            Issue.record("register succeeded; expected an error mentioning \(fragments)")
        } catch let error as WarrenError {
            for fragment in fragments {
                #expect(error.description.contains(fragment), "\(error.description) should mention \(fragment)")
            }
            switch (kind, error) {
            case let (.backup, .invalidBackup(path, _)), let (.definitions, .invalidDefinitions(path, _)):
                #expect(path == offending)
            default:
                Issue.record("expected invalid \(kind) at \(offending), got \(error.code): \(error)")
            }
            #expect(error.exitCode == 4)
        }
        #expect(try f.backupRows.count == before, "a refused backup left a catalog row")
        #expect(try f.objectFiles() == objectsBefore, "a refused backup stored objects")
    }
}

extension BackupTree {
    var totalBytes: Int64 {
        let enumerator = FileManager.default.enumerator(atPath: msgStores)!
        var total: Int64 = 0
        while let item = enumerator.nextObject() as? String {
            let attributes = try! FileManager.default.attributesOfItem(atPath: msgStores + "/" + item)
            if attributes[.type] as? FileAttributeType == .typeRegular { total += (attributes[.size] as! NSNumber).int64Value }
        }
        return total
    }
}

/// Runs a program and returns its stdout; fails on a non-zero exit.
func run(_ program: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    struct Failed: Error { var status: Int32 }
    guard process.terminationStatus == 0 else { throw Failed(status: process.terminationStatus) }
    return String(decoding: data, as: UTF8.self)
}

@Suite struct QueueCountingTests {
    @Test func registerRecordsOfflineCountsAndVerifyChecksThem() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let tree = try BackupTree.standard(at: dir.file("backup"))
        let id = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "n"))
        let detail = try CatalogQueries(catalog: repo.catalog).detail(id: id)
        let orders = try #require(detail.queues.first { $0.name == "orders" })
        #expect(orders.messages == 3 && orders.embeddedInIndex == 3 && orders.indexError == nil)
        let emails = try #require(detail.queues.first { $0.name == "emails" })
        #expect(emails.messages == 3 && emails.inQueueStore == 3)
        #expect(detail.backup.messageCount == 6)
        #expect(!(try Verifier(repository: repo).verify(id: id)).findings.contains { $0.code.rawValue.hasPrefix("index_") })

        // The same tree without the .qs segment the v2 index points into: not viable.
        let qs = tree.msgStores + "/vhosts/\(RabbitDirectoryName.vhost("shop/eu"))/queues/\(RabbitDirectoryName.queue(vhost: "shop/eu", queue: "emails"))/0.qs"
        try FileManager.default.removeItem(atPath: qs)
        let missing = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "n"))
        let report = try Verifier(repository: repo).verify(id: missing)
        #expect(report.verdict == .notViable)
        #expect(report.findings.contains { $0.code == .indexQueueStoreMissing && $0.queue == "emails" })

        // A garbage index is an error naming the queue, not a crash or a failed register.
        let idx = tree.msgStores + "/vhosts/\(RabbitDirectoryName.vhost("/"))/queues/\(RabbitDirectoryName.queue(vhost: "/", queue: "orders"))/0.idx"
        try tree.write(idx, Array(repeating: 0xFF, count: 77))
        let garbage = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "n"))
        let unreadable = try Verifier(repository: repo).verify(id: garbage)
        #expect(unreadable.findings.contains { $0.code == .indexUnreadable && $0.queue == "orders" && $0.message.contains("0.idx") })
        #expect(try CatalogQueries(catalog: repo.catalog).summary(id: garbage).messageCount == nil)
    }
}
