import Foundation
import Testing
@testable import WarrenCore

@Suite("IndexParsing: real broker fixtures")
struct IndexParsingFixtureTests {
    @Test("directory entry point matches the broker", arguments: IndexFixture.all)
    func directory(_ fixture: IndexFixture) throws {
        let count = try QueueIndexReader.count(queueDirectory: fixture.path, segmentEntryCount: fixture.segmentEntryCount)
        #expect(count == fixture.expected)
        #expect(count.messages == count.embeddedInIndex + count.inSharedStore + count.inQueueStore)
        #expect(count.warnings.isEmpty)
    }

    @Test("in-memory entry point matches the directory one", arguments: IndexFixture.all)
    func inMemory(_ fixture: IndexFixture) throws {
        let count = try QueueIndexReader.count(files: try fixture.files(), segmentEntryCount: fixture.segmentEntryCount)
        #expect(count == fixture.expected)
    }

    @Test("CQv2 entry count read from the headers equals the broker's setting")
    func v2EntryCountFromHeaders() throws {
        let fixture = try #require(IndexFixture.all.first { $0.name == "v2-multi-seg64" })
        let withSetting = try QueueIndexReader.count(queueDirectory: fixture.path, v2SegmentEntryCount: 64)
        #expect(withSetting == fixture.expected)
        #expect(throws: IndexParseError.self) {
            try QueueIndexReader.count(queueDirectory: fixture.path, v2SegmentEntryCount: 4096)
        }
    }

    @Test("a wrong CQv1 segment entry count is detected, not silently miscounted")
    func v1WrongEntryCount() throws {
        let fixture = try #require(IndexFixture.all.first { $0.name == "v1-small" })
        // 50 records with relative sequence ids 0...49 fit any count above 49, but not 16.
        #expect(throws: IndexParseError.self) {
            try QueueIndexReader.count(queueDirectory: fixture.path, segmentEntryCount: 16)
        }
    }
}
