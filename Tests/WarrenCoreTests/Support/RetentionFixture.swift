import Foundation
import GRDB
@testable import WarrenCore

/// A repository with backups registered at chosen times: every backup holds the same small
/// tree (shared, so deduplicated: vhost `/`, an idle queue `orders`, one rdq file) plus one
/// rdq file of its own (`unique` bytes). No index files, so that `verify` judges only what
/// these tests are about: whether every object is there.
struct RetentionFixture {
    let dir = TemporaryDirectory("warren-retention")
    let repo: Repository

    init() throws {
        repo = try Repository.initialize(at: dir.file("repo"))
    }

    /// Registers a backup and returns its id. The same `seed` gives the same unique file.
    @discardableResult
    func register(node: String = "rabbit@a", at time: String, unique: Int = 5000, seed: Int? = nil) throws -> Int64 {
        let root = try makeTree(unique: unique, seed: seed)
        defer { try? FileManager.default.removeItem(atPath: root) }
        return try Registrar(repository: repo).register(
            RegisterRequest(directory: root, node: node, takenAt: Timestamp.parse(time)!))
    }

    /// A backup directory as described above; returns its path.
    func makeTree(unique: Int = 5000, seed: Int? = nil) throws -> String {
        let root = dir.file("src-\(UUID().uuidString)")
        let tree = try BackupTree(at: root)
        let vhostDir = try tree.vhost("/")
        let queueDir = vhostDir + "/queues/" + RabbitDirectoryName.queue(vhost: "/", queue: "orders")
        try FileManager.default.createDirectory(atPath: queueDir, withIntermediateDirectories: true)
        try tree.write(queueDir + "/.queue_name", Array("VHOST: /\nQUEUE: orders\n".utf8))
        try tree.rdq(vhost: "/", segment: 0, bytes: BackupTree.randomBytes(100_000, seed: 7))
        try tree.rdq(vhost: "/", segment: 1, bytes: BackupTree.randomBytes(unique, seed: seed ?? Int.random(in: 1...Int.max)))
        try tree.definitions(vhosts: ["/"], queues: [("/", "orders", "classic")])
        return root
    }

    /// The object id of a backup's own rdq file.
    func uniqueObject(of id: Int64) throws -> ObjectID {
        try repo.catalog.reader.read { db in
            let data = try Data.fetchOne(db, sql: "SELECT sha256 FROM manifest_file WHERE backup_id = ? AND path LIKE '%/1.rdq'", arguments: [id])
            return ObjectID(bytes: Array(data!))!
        }
    }

    /// Relative paths of every file under objects/.
    func objectFiles() throws -> Set<String> {
        var result = Set<String>()
        let root = repo.path + "/objects"
        for fanout in try FileManager.default.contentsOfDirectory(atPath: root) {
            for name in try FileManager.default.contentsOfDirectory(atPath: root + "/" + fanout) { result.insert(fanout + "/" + name) }
        }
        return result
    }

    func exists(_ id: ObjectID) -> Bool { FileManager.default.fileExists(atPath: repo.objects.path(of: id)) }

    func backupIDs() throws -> [Int64] {
        try repo.catalog.reader.read { try Int64.fetchAll($0, sql: "SELECT id FROM backup ORDER BY id") }
    }

    func count(_ sql: String) throws -> Int {
        try repo.catalog.reader.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    /// `verify --full` of every backup: each must be restorable (viable, warnings allowed).
    func verifyAll() throws -> [Int64: Verdict] {
        var verdicts: [Int64: Verdict] = [:]
        for id in try backupIDs() {
            verdicts[id] = try Verifier(repository: repo).verify(id: id, options: VerifyOptions(full: true)).verdict
        }
        return verdicts
    }
}
