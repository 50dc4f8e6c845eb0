import Foundation
import Testing
@testable import WarrenCore

@Suite("IndexParsing: directory and in-memory entry points")
struct IndexParsingReaderTests {
    typealias B = IndexRecordBuilder

    func error(_ body: () throws -> QueueIndexCount) -> IndexParseError? {
        IndexParsingCheck.error(body)
    }

    @Test func noIndexFiles() throws {
        #expect(try QueueIndexReader.count(files: [:]) == QueueIndexCount())
        #expect(try QueueIndexReader.count(files: [".queue_name": Array("VHOST: /\nQUEUE: q\n".utf8), "1.qs": []])
            == QueueIndexCount())
    }

    @Test func versionIsToldByTheFiles() throws {
        let v1 = try QueueIndexReader.count(files: ["0.idx": B.segPub(rel: 0), "journal.jif": []], segmentEntryCount: 64)
        #expect(v1.indexVersion == 1 && v1.messages == 1)
        let v2 = try QueueIndexReader.count(files: [
            "0.qi": B.qiHeader(segment: 0, entries: 4) + B.qiEntry(location: .sharedStore(id: 1)),
            "journal.jif": [],
        ])
        #expect(v2.indexVersion == 2 && v2.messages == 1)
    }

    @Test func mixedVersionsAreAnError() {
        let qi = B.qiHeader(segment: 0, entries: 4)
        #expect(error { try QueueIndexReader.count(files: ["0.qi": qi, "3.idx": B.segPub(rel: 0)]) }?.reason == .mixedIndexVersions)
        #expect(error { try QueueIndexReader.count(files: ["0.qi": qi, "journal.jif": B.jDel(1)]) }
            == IndexParseError(file: "journal.jif", offset: 0, reason: .mixedIndexVersions))
    }

    @Test(arguments: ["007.idx", "1.qi.bak", "x.idx", "-1.qi", "2.idx~", "sub/0.idx"])
    func namesTheBrokerWouldMisreadAreErrors(_ name: String) {
        #expect(error { try QueueIndexReader.count(files: [name: []]) }?.reason == .unexpectedFileName(name))
    }

    @Test func otherFilesAreIgnored() throws {
        let c = try QueueIndexReader.count(files: ["notes.txt": [1, 2, 3], "0.qs": [9], "clean.dot": []])
        #expect(c == QueueIndexCount())
    }

    @Test func directoryErrors() throws {
        let missing = "/nonexistent-\(UUID().uuidString)"
        #expect(error { try QueueIndexReader.count(queueDirectory: missing) }?.file == missing)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warren-idx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("0.idx"), withIntermediateDirectories: false)
        #expect(error { try QueueIndexReader.count(queueDirectory: dir.path) }?.file == "0.idx")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("0.idx"))
        try Data(B.segPub(rel: 0) + B.segPub(rel: 1)).write(to: dir.appendingPathComponent("0.idx"))
        #expect(try QueueIndexReader.count(queueDirectory: dir.path, segmentEntryCount: 64).messages == 2)
    }
}
