import Foundation
import Testing
@testable import WarrenCore

@Suite struct RepositoryTests {
    @Test func initCreatesLayoutAndMigrates() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        #expect(FileManager.default.fileExists(atPath: dir.file("repo/catalog.sqlite")))
        #expect(FileManager.default.fileExists(atPath: dir.file("repo/objects/ab")))
        #expect(try repo.catalog.appliedMigrations() == EmbeddedMigrations.all.map(\.name))
        #expect(EmbeddedMigrations.all.first?.name == "0001_initial")
        let journal = try repo.catalog.reader.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        _ = try Repository.open(at: dir.file("repo"))
    }

    @Test func embeddedMigrationsMatchTheFiles() throws {
        let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Migrations").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: migrations.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.map { String($0.dropLast(4)) } == EmbeddedMigrations.all.map(\.name))
        for (file, migration) in zip(files, EmbeddedMigrations.all) {
            let text = try String(contentsOfFile: migrations.path + "/" + file, encoding: .utf8)
            #expect(text == migration.sql)
        }
    }

    @Test func openRefusesMissingAndForeignDirectories() throws {
        let dir = TemporaryDirectory()
        #expect(throws: WarrenError.repositoryNotFound(path: dir.file("nope"), reason: "the directory does not exist")) {
            try Repository.open(at: dir.file("nope"))
        }
        try FileManager.default.createDirectory(atPath: dir.file("empty"), withIntermediateDirectories: true)
        do {
            _ = try Repository.open(at: dir.file("empty"))
            Issue.record("opened an empty directory")
        } catch let error as WarrenError {
            #expect(error.exitCode == 2)
            #expect(error.description.contains(dir.file("empty")))
            #expect(error.description.contains("warren init"))
        }
        // A foreign SQLite file named catalog.sqlite is reported, and left untouched.
        try FileManager.default.createDirectory(atPath: dir.file("foreign/objects"), withIntermediateDirectories: true)
        try Data("SQLite format 3\0 not really".utf8).write(to: URL(fileURLWithPath: dir.file("foreign/catalog.sqlite")))
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.file("foreign/catalog.sqlite")))
        do {
            _ = try Repository.open(at: dir.file("foreign"))
            Issue.record("opened a foreign catalog.sqlite")
        } catch let WarrenError.repositoryNotFound(path, reason) {
            #expect(path == dir.file("foreign"))
            #expect(reason.hasPrefix("catalog.sqlite is not a Warren catalog"), "\(reason)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("foreign/catalog.sqlite"))) == before)
    }

    @Test func initRefusesNonEmptyOrExisting() throws {
        let dir = TemporaryDirectory()
        _ = try Repository.initialize(at: dir.file("repo"))
        #expect(throws: WarrenError.repositoryExists(path: dir.file("repo"), reason: "it already holds a repository (catalog.sqlite exists)")) {
            try Repository.initialize(at: dir.file("repo"))
        }
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.file("file")))
        #expect(throws: WarrenError.repositoryExists(path: dir.file("file"), reason: "it is a regular file")) {
            try Repository.initialize(at: dir.file("file"))
        }
        try FileManager.default.createDirectory(atPath: dir.file("busy"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.file("busy/notes.txt")))
        #expect(throws: WarrenError.repositoryExists(path: dir.file("busy"), reason: "the directory is not empty; choose an empty or new directory")) {
            try Repository.initialize(at: dir.file("busy"))
        }
    }

    @Test func locationFollowsFlagThenEnvironmentThenXDG() {
        #expect(RepositoryLocation.resolve(explicit: "/a", environment: ["WARREN_REPO": "/b"]) == "/a")
        #expect(RepositoryLocation.resolve(explicit: nil, environment: ["WARREN_REPO": "/b", "XDG_DATA_HOME": "/x"]) == "/b")
        #expect(RepositoryLocation.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]) == "/x/warren")
        #expect(RepositoryLocation.resolve(explicit: nil, environment: ["HOME": "/h"]) == "/h/.local/share/warren")
    }

    @Test func objectsAreNamedByContentAndStoredOnce() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let content = Array("hello warren".utf8)
        let first = try content.withUnsafeBytes { try repo.objects.store($0) }
        let second = try content.withUnsafeBytes { try repo.objects.store($0) }
        #expect(first.written && !second.written)
        #expect(first.id.hex == "08e335eac07c24c6e2c80710d4aa256bce87130d67b29ba259361fdb1fefe444" && second.id == first.id)
        let stored = try Data(contentsOf: URL(fileURLWithPath: repo.objects.path(of: first.id)))
        #expect(Array(stored) == content)
        #expect(try Posix.listDirectory(repo.objects.tempPath).isEmpty)
    }
}
