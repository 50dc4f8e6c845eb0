import Foundation
import Testing
@testable import WarrenCore

/// The ingest's phase timings (issue 17's benchmark: the manifest's share of a register):
/// reported once, for every phase, when the backup is complete; never for a failed one.
@Suite struct RegisterTimingsTests {
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var all: [RegisterTimings] = []
        func add(_ timings: RegisterTimings) { lock.lock(); all.append(timings); lock.unlock() }
        var values: [RegisterTimings] { lock.lock(); defer { lock.unlock() }; return all }
    }

    @Test func completeRegisterReportsEveryPhase() throws {
        let dir = TemporaryDirectory("warren-timings")
        let repo = try Repository.initialize(at: dir.file("repo"))
        let tree = try BackupTree.standard(at: dir.file("backup"))
        let reports = Reports()
        var registrar = Registrar(repository: repo)
        registrar.onTimings = { reports.add($0) }
        _ = try registrar.register(RegisterRequest(directory: tree.root, node: "rabbit@a"))
        let timings = try #require(reports.values.count == 1 ? reports.values.first : nil, "\(reports.values)")
        #expect(Set(timings.seconds.keys) == Set(RegisterPhase.allCases))
        #expect(timings.seconds.values.allSatisfy { $0 >= 0 } && timings.total >= timings[.manifestWrite])
        #expect(RegisterPhase.allCases.map(\.rawValue) == ["scan", "store objects", "sync", "count messages", "manifest write", "catalog commit"])
    }

    @Test func failedRegisterReportsNothing() throws {
        let dir = TemporaryDirectory("warren-timings")
        let repo = try Repository.initialize(at: dir.file("repo"))
        let tree = try BackupTree.standard(at: dir.file("backup"))
        struct Boom: Error {}
        let reports = Reports()
        var registrar = Registrar(repository: repo)
        registrar.onTimings = { reports.add($0) }
        registrar.beforeEachFile = { path in if path.hasSuffix(".rdq") { throw Boom() } }
        #expect(throws: Boom.self) { try registrar.register(RegisterRequest(directory: tree.root, node: "rabbit@a")) }
        #expect(reports.values.isEmpty)
    }
}
