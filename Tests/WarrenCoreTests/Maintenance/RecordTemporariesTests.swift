import Foundation
import Testing
@testable import WarrenCore

/// Issue 17 §5: the temporary files of the small records (restore journal, guard records,
/// `service.json`) are written in the repository's private `tmp/`, named like the object
/// store's, so that `check` and `gc` remove the ones a killed writer leaves; the
/// `NAME.tmp-PID` files that older releases left beside those records are removed too.
@Suite struct RecordTemporariesTests {
    /// A pid that runs no process here (pid 1 is the live counter-example).
    static let deadPid: pid_t = 999_999

    @Test func recordsLeaveNothingBesideThemAndNothingInTmp() throws {
        let f = try RetentionFixture()
        try ServiceMarker.write(repository: f.repo.path, socket: f.repo.path + "/warren.sock")
        try GuardRecord(node: "rabbit@a", parentPid: getpid(), host: LockHolder.hostName, outcome: .started,
                        at: Timestamp.format(Date()), detail: "").write(to: GuardRecord.path(repository: f.repo.path, node: "rabbit@a"))
        #expect(try Posix.listDirectory(f.repo.path).filter { $0.contains(".tmp") } == [])
        #expect(try Posix.listDirectory(f.repo.path + "/guard") == ["rabbit@a.json"])
        #expect(try Posix.listDirectory(f.repo.objects.tempPath) == [])
        #expect(AtomicFile.temporaryPath(in: f.repo.objects.tempPath, pid: 42).hasPrefix(f.repo.objects.tempPath + "/42-"))
    }

    @Test func checkAndGCRemoveRecordTemporariesOfDeadWriters() throws {
        let f = try RetentionFixture()
        try f.register(at: "2025-01-01T00:00:00Z")
        for directory in ["/journal", "/guard"] {
            try FileManager.default.createDirectory(atPath: f.repo.path + directory, withIntermediateDirectories: true)
        }
        func leave(_ paths: [String]) throws {
            for path in paths { try Data("{\"partial\":".utf8).write(to: URL(fileURLWithPath: path)) }
        }
        let dead = [
            AtomicFile.temporaryPath(in: f.repo.objects.tempPath, pid: Self.deadPid),  // this release's name
            f.repo.path + "/service.json.tmp-\(Self.deadPid)",                          // older releases' names
            f.repo.path + "/journal/restore-rabbit@a.json.tmp-\(Self.deadPid)",
            f.repo.path + "/guard/rabbit@a.json.tmp-\(Self.deadPid)",
        ]
        let live = [f.repo.path + "/service.json.tmp-1", AtomicFile.temporaryPath(in: f.repo.objects.tempPath, pid: 1)]
        try leave(dead + live)

        let dry = try RepositoryChecker(repository: f.repo).check(repair: false)
        let reported = try #require(dry.findings.first { $0.code == "stale_temporaries" })
        #expect(reported.count == dead.count && !reported.fixed)
        #expect(dead.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "a dry run removes nothing")

        let checked = try RepositoryChecker(repository: f.repo).check()
        #expect(checked.findings.first { $0.code == "stale_temporaries" }?.fixed == true)
        #expect(!dead.contains { FileManager.default.fileExists(atPath: $0) })
        #expect(live.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "a running writer's files are kept")

        try leave(dead)
        let collected = try GarbageCollector(repository: f.repo).collect()
        #expect(collected.removedTemporaryFiles == dead.count)
        #expect(!dead.contains { FileManager.default.fileExists(atPath: $0) })
        #expect(live.allSatisfy { FileManager.default.fileExists(atPath: $0) })
    }
}
