import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// `warren gc`: what it deletes, what it must never delete, and that it cannot run while a
/// register is storing objects that its catalog transaction does not reference yet.
@Suite struct GarbageCollectorTests {
    @Test func deletesOnlyUnreferencedObjectsAndStaleTemporaries() throws {
        let f = try RetentionFixture()
        let id = try f.register(at: "2025-01-01T00:00:00Z")
        let referenced = try f.objectFiles()
        // Garbage: a failed writer's object (file, no row), a row-and-file object nothing uses,
        // a stale temp file of a dead process, and a file that is not an object at all.
        let loose = try store(f, Array("loose".utf8))
        let rowed = try store(f, Array("rowed".utf8))
        try f.repo.catalog.write { db in
            try db.execute(sql: "INSERT INTO object (sha256, size, stored_at) VALUES (?, 5, 'x')", arguments: [rowed.data])
            // A referenced object that lost its row, and a row for an object gone from disk.
            try db.execute(sql: "DELETE FROM object WHERE sha256 = (SELECT sha256 FROM manifest_file WHERE backup_id = ? LIMIT 1)", arguments: [id])
            try db.execute(sql: "INSERT INTO object (sha256, size, stored_at) VALUES (?, 3, 'x')", arguments: [Data(repeating: 7, count: 32)])
        }
        let stale = f.repo.objects.tempPath + "/999999-dead.tmp"
        try Data("partial".utf8).write(to: URL(fileURLWithPath: stale))
        let foreign = f.repo.objects.objectsPath + "/ab/notes.txt"
        try Data("mine".utf8).write(to: URL(fileURLWithPath: foreign))
        chmod(foreign, 0o600)  // private, as the repository's own files (else also repository_world_readable)

        let snapshot = try f.objectFiles()
        let dry = try GarbageCollector(repository: f.repo).collect(dryRun: true)
        #expect(dry.freedObjects == 2 && dry.freedBytes == 10 && dry.removedTemporaryFiles == 1)
        #expect(dry.objectRowsAdded == 1 && dry.objectRowsRemoved == 1 && dry.unexpectedFiles == [foreign])
        #expect(try f.objectFiles() == snapshot && FileManager.default.fileExists(atPath: stale), "dry run deletes nothing")
        #expect(!(try RepositoryChecker(repository: f.repo).check(repair: false).clean))

        let report = try GarbageCollector(repository: f.repo).collect()
        #expect(report.freedObjects == 2 && report.freedBytes == 10 && report.removedTemporaryFiles == 1)
        #expect(!f.exists(loose) && !f.exists(rowed) && !FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: foreign), "files that are not objects are left alone")
        #expect(try f.objectFiles() == referenced.union(["ab/notes.txt"]))
        #expect(try f.count("SELECT COUNT(*) FROM object") == referenced.count)
        let check = try RepositoryChecker(repository: f.repo).check()
        #expect(check.findings.map(\.code) == ["unexpected_files"])
        #expect(try f.verifyAll() == [id: .viableWithWarnings])
    }

    @Test func aQueuedObjectThatIsInUseAgainIsKept() throws {
        let f = try RetentionFixture()
        let id = try f.register(at: "2025-01-01T00:00:00Z", seed: 3)
        let object = try f.uniqueObject(of: id)
        // As if a prune had queued it, crashed, and a register had stored the same content again.
        try f.repo.catalog.write { db in
            try db.execute(sql: "INSERT INTO object_deletion (sha256, size, queued_at) VALUES (?, 5000, 'x')", arguments: [object.data])
        }
        let report = try GarbageCollector(repository: f.repo).collect()
        #expect(report.freedObjects == 0)
        #expect(f.exists(object))
        #expect(try f.count("SELECT COUNT(*) FROM object_deletion") == 0)
        #expect(try RepositoryChecker(repository: f.repo).check().clean)
    }

    @Test func cannotRunWhileARegisterIsStoring() throws {
        let f = try RetentionFixture()
        let tree = try f.makeTree()
        let repo = f.repo
        let seen = Observations()
        var registrar = Registrar(repository: f.repo)
        registrar.beforeEachFile = { path in
            guard path.hasSuffix("1.rdq") else { return }
            // Objects already stored are referenced by no catalog row yet: gc would delete them.
            let survey = try GarbageCollector(repository: repo).collect(dryRun: true)
            seen.note("unreferenced while writing: \(survey.freedObjects)")
            do {
                _ = try GarbageCollector(repository: repo).collect()
                seen.note("gc ran")
            } catch let WarrenError.lockHeld(_, holder, _) {
                seen.note("gc refused: held by \(holder?.command ?? "?")")
            }
        }
        let id = try registrar.register(RegisterRequest(directory: tree, node: "rabbit@a"))
        #expect(seen.lines.count == 2)
        #expect(seen.lines.first.map { $0 != "unreferenced while writing: 0" } == true, "\(seen.lines)")
        #expect(seen.lines.last == "gc refused: held by register")
        #expect(try f.verifyAll() == [id: .viableWithWarnings])
        #expect(try RepositoryChecker(repository: f.repo).check().clean)
    }

    private func store(_ f: RetentionFixture, _ bytes: [UInt8]) throws -> ObjectID {
        try bytes.withUnsafeBytes { try f.repo.objects.store($0) }.id
    }
}

private final class Observations: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var lines: [String] = []
    func note(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
}
