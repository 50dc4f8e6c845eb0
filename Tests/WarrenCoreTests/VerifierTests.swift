import Foundation
import Testing
@testable import WarrenCore

@Suite struct VerifierTests {
    @Test func everyFindingCodeIsDocumentedInTheReadme() throws {
        let readme = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../README.md").standardized.path, encoding: .utf8)
        for code in FindingCode.allCases {
            #expect(readme.contains("| `\(code.rawValue)` | \(code.severity.rawValue) |"), "README does not document \(code.rawValue)")
        }
    }

    @Test func versionsCompareNumerically() throws {
        let v = { (s: String) in try #require(BrokerVersion(s)) }
        #expect(try v("3.9.0") < v("3.10.8"))
        #expect(try v("3.10") == v("3.10.0"))
        #expect(try v("4.0.0-rc.1").atLeast(4, 0))
        #expect(try !v("3.13.7").atLeast(4, 0))
        #expect(try v("4.3.1").atLeast(4, 3))
        #expect(BrokerVersion("latest") == nil)
        #expect(BrokerVersion("4") == nil)
    }

    @Test func exclusionGlobsMatchQueueNamesInAnyVhost() {
        let e = Exclusions(queueGlobs: ["emails*", "tmp.?"], vhosts: ["crm"])
        #expect(e.glob(excluding: "emails.welcome") == "emails*")
        #expect(e.glob(excluding: "emails/eu") == "emails*")
        #expect(e.glob(excluding: "tmp.1") == "tmp.?")
        #expect(e.glob(excluding: "orders") == nil)
        #expect(e.glob(excluding: nil) == nil)
        #expect(e.excludes(vhost: "crm") && !e.excludes(vhost: "crm2"))
    }

    @Test func syntheticTreeVerdicts() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let tree = try BackupTree.standard(at: dir.file("backup"))
        // A stored queue without a definition, and a live copy (no clean.dot anywhere).
        try tree.queue(vhost: "/", name: "ghost")
        let id = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "n"))
        let report = try Verifier(repository: repo).verify(id: id)
        #expect(report.verdict == .notViable)
        #expect(report.findings.first?.code == .queueNotDefined)
        #expect(report.findings.first?.queue == "ghost" && report.findings.first?.vhost == "/")
        #expect(report.findings.contains { $0.code == .liveCopy && $0.vhost == "shop/eu" })
        let excluded = try Verifier(repository: repo).verify(id: id, options: VerifyOptions(excludeQueues: ["gh*"]))
        #expect(excluded.verdict == .viableWithWarnings)
        #expect(excluded.findings.contains { $0.code == .queueExcluded && $0.queue == "ghost" })
        #expect(try CatalogQueries(catalog: repo.catalog).summary(id: id).lastVerdict == "viable_with_warnings")
        #expect(throws: WarrenError.backupNotFound(id: 99)) { try Verifier(repository: repo).verify(id: 99) }
        #expect(throws: WarrenError.self) { try Verifier(repository: repo).verify(id: id, options: VerifyOptions(targetVersion: "x")) }
    }

    @Test func findingsEncodeEveryKey() throws {
        let json = try WarrenJSON.string(Finding(.passwordHashes, "m"))
        for key in ["code", "severity", "vhost", "queue", "path", "message"] { #expect(json.contains("\"\(key)\"")) }
    }
}
