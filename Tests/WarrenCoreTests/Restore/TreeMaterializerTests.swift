import Foundation
import Testing
@testable import WarrenCore

/// Direct tests of the writer behind restore and export (issue 12 §4): what it writes, what
/// it refuses, and that a refusal leaves nothing behind.
@Suite struct TreeMaterializerTests {
    struct Fixture {
        let dir = TemporaryDirectory()
        let repo: Repository
        let root: String

        init() throws {
            repo = try Repository.initialize(at: dir.file("repo"))
            root = dir.file("target")
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        }

        func store(_ text: String) throws -> (id: ObjectID, size: Int64) {
            let stored = try Array(text.utf8).withUnsafeBytes { try repo.objects.store($0) }
            return (stored.id, stored.size)
        }

        func materializer(owner: TreeMaterializer.Owner? = nil) -> TreeMaterializer {
            TreeMaterializer(objects: repo.objects, root: root, owner: owner)
        }

        /// Every path under the target, files and directories.
        func tree() throws -> [String] {
            try FileManager.default.subpathsOfDirectory(atPath: root).sorted()
        }

        func read(_ relative: String) throws -> String {
            try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
        }
    }

    @Test func writesFilesAndDirectoriesAndCountsThem() throws {
        let f = try Fixture()
        let a = try f.store("alpha\n"), b = try f.store("beta beta\n")
        let m = f.materializer()
        try m.write(path: SafeRelativePath("vhosts/V1/queues/Q1/0.qi"), object: a.id, size: a.size, buffer: IngestBuffer(capacity: 4))
        try m.write(path: SafeRelativePath("vhosts/V1/.vhost"), object: b.id, size: b.size, buffer: IngestBuffer(capacity: 1 << 20))
        try m.syncDirectories()
        #expect(try f.read("vhosts/V1/queues/Q1/0.qi") == "alpha\n")
        #expect(try f.read("vhosts/V1/.vhost") == "beta beta\n")
        #expect(try f.tree() == ["vhosts", "vhosts/V1", "vhosts/V1/.vhost", "vhosts/V1/queues", "vhosts/V1/queues/Q1", "vhosts/V1/queues/Q1/0.qi"])
        #expect(m.writtenFiles == 2 && m.writtenBytes == a.size + b.size)
    }

    @Test func replacesAnExistingFileAndAppliesTheOwner() throws {
        let f = try Fixture()
        try FileManager.default.createDirectory(atPath: f.root + "/kept", withIntermediateDirectories: true)
        try Data("old content".utf8).write(to: URL(fileURLWithPath: f.root + "/kept/file"))
        let new = try f.store("new")
        let nobody = TreeMaterializer.Owner(uid: 65534, gid: 65534)
        let m = f.materializer(owner: nobody)
        try m.write(path: SafeRelativePath("kept/file"), object: new.id, size: new.size, buffer: IngestBuffer(capacity: 64))
        try m.write(path: SafeRelativePath("made/file"), object: new.id, size: new.size, buffer: IngestBuffer(capacity: 64))
        #expect(try f.read("kept/file") == "new")
        for path in ["kept/file", "made", "made/file"] {
            let st = try Posix.lstatOrThrow(f.root + "/" + path)
            #expect(st.uid == 65534 && st.gid == 65534, "\(path) owned by \(st.uid):\(st.gid)")
        }
        // A directory that already existed keeps its owner.
        #expect(try Posix.lstatOrThrow(f.root + "/kept").uid == getuid())
    }

    @Test func refusesACorruptObjectAndLeavesNothing() throws {
        let f = try Fixture()
        let object = try f.store("the original bytes")
        let path = f.repo.objects.path(of: object.id)
        chmod(path, 0o644)
        let damaged = Array("THE ORIGINAL BYTES".utf8)  // same size, other content
        try Data(damaged).write(to: URL(fileURLWithPath: path))
        let actual = damaged.withUnsafeBytes { ObjectStore.digest($0) }
        #expect(throws: WarrenError.stepFailed(step: "write a/file", detail: "object \(object.id.short)… is corrupt (its content hashes to \(actual.short)…); run `warren verify --full`")) {
            try f.materializer().write(path: SafeRelativePath("a/file"), object: object.id, size: object.size, buffer: IngestBuffer(capacity: 8))
        }
        #expect(try f.tree() == ["a"], "no file and no temporary left")
    }

    @Test func refusesAnObjectOfTheWrongSize() throws {
        let f = try Fixture()
        let object = try f.store("twelve bytes")
        #expect(throws: WarrenError.stepFailed(step: "write x", detail: "object \(object.id.short)… holds 12 bytes, 13 recorded")) {
            try f.materializer().write(path: SafeRelativePath("x"), object: object.id, size: 13, buffer: IngestBuffer(capacity: 64))
        }
        #expect(try f.tree().isEmpty)
    }

    @Test func neverFollowsASymlinkedDirectoryOrReplacesADirectory() throws {
        let f = try Fixture()
        let object = try f.store("payload")
        let elsewhere = f.dir.file("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: f.root + "/vhosts", withDestinationPath: elsewhere)
        #expect(throws: WarrenError.stepFailed(step: "create \(f.root)/vhosts", detail: "a symbolic link is in the way; refusing to follow it")) {
            try f.materializer().write(path: SafeRelativePath("vhosts/V/file"), object: object.id, size: object.size, buffer: IngestBuffer(capacity: 64))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty, "wrote through the symlink")

        try FileManager.default.createDirectory(atPath: f.root + "/d/file", withIntermediateDirectories: true)
        #expect(throws: WarrenError.stepFailed(step: "write \(f.root)/d/file", detail: "a directory is in the way")) {
            try f.materializer().write(path: SafeRelativePath("d/file"), object: object.id, size: object.size, buffer: IngestBuffer(capacity: 64))
        }
        #expect(try f.tree() == ["d", "d/file", "vhosts"])
    }

    @Test func aMissingObjectIsAnIOErrorNamingIt() throws {
        let f = try Fixture()
        let object = try f.store("gone soon")
        unlink(f.repo.objects.path(of: object.id))
        #expect(throws: WarrenError.io(path: f.repo.objects.path(of: object.id), operation: "open", errno: ENOENT)) {
            try f.materializer().write(path: SafeRelativePath("f"), object: object.id, size: object.size, buffer: IngestBuffer(capacity: 64))
        }
        #expect(try f.tree().isEmpty)
    }
}
