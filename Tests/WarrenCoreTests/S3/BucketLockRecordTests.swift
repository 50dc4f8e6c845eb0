import Foundation
import Testing
@testable import WarrenCore

/// The pieces of the bucket lock that need no server: the record's JSON, the lease judged by
/// the server's clock, the S3 date formats, and configs written before the probe existed.
@Suite struct BucketLockRecordTests {
    @Test func recordRoundTripsAndNamesItsHolder() throws {
        let record = BucketLockRecord.current(command: "prune", repositoryID: "r1", lease: 300, now: Date(timeIntervalSince1970: 1_800_000_000))
        let text = String(decoding: try record.encoded(), as: UTF8.self)
        for key in ["\"host\"", "\"pid\"", "\"command\"", "\"repository_id\"", "\"created_at\"", "\"expires_at\"", "\"lease_seconds\"", "\"token\""] {
            #expect(text.contains(key), "\(text)")
        }
        #expect(BucketLockRecord.decode(try record.encoded()) == record)
        #expect(BucketLockRecord.decode(Array("not json".utf8)) == nil)
        #expect(record.holder.command == "prune" && record.holder.startedAt == record.createdAt)
        #expect(record.expiresAt == "2027-01-15T08:05:00.000Z")
    }

    @Test func leaseIsJudgedByTheServersClock() {
        let record = BucketLockRecord.current(command: "gc", repositoryID: "r1", lease: 300)
        let modified = Date(timeIntervalSince1970: 1_800_000_000)
        func read(serverAfter seconds: Double) -> S3Client.Versioned {
            S3Client.Versioned(body: [], etag: "\"x\"", lastModified: modified, serverDate: modified.addingTimeInterval(seconds))
        }
        #expect(!BucketLock.isExpired(read(serverAfter: 299), record, defaultLease: 300))
        #expect(BucketLock.isExpired(read(serverAfter: 300), record, defaultLease: 300))
        // Without the server's headers: the record's expires_at against this host's clock.
        #expect(!BucketLock.isExpired(S3Client.Versioned(body: [], etag: nil, lastModified: nil, serverDate: nil), record, defaultLease: 300))
    }

    @Test func s3DateFormats() {
        #expect(S3Dates.parseISO8601("2026-12-02T17:50:26.000Z") == Date(timeIntervalSince1970: 1_796_233_826))
        #expect(S3Dates.parseISO8601("2026-12-02T17:50:26Z") == Date(timeIntervalSince1970: 1_796_233_826))
        #expect(S3Dates.parseHTTP("Wed, 02 Dec 2026 17:50:26 GMT") == Date(timeIntervalSince1970: 1_796_233_826))
        #expect(S3Dates.parseHTTP("yesterday") == nil)
    }

    /// A config written before the probe existed has no `s3_conditional_writes` and still reads.
    @Test func configsWithoutTheProbeResultStillRead() throws {
        let old = RepositoryConfig(encryption: .unencrypted, keyFingerprint: nil, createdAt: "2026-11-01T00:00:00Z")
        let bytes = try ChecksummedDocument.encode(old, kind: RepositoryConfig.kind, version: RepositoryConfig.currentVersion)
        #expect(!String(decoding: bytes, as: UTF8.self).contains("s3_conditional_writes"), "a local config stays as it was")
        let read = try ChecksummedDocument.decode(RepositoryConfig.self, from: bytes, kind: RepositoryConfig.kind, knownVersion: RepositoryConfig.currentVersion)
        #expect(read == old && read.s3ConditionalWrites == nil)
        var probed = old
        probed.s3ConditionalWrites = S3ConditionalWrites(ifNoneMatch: true, ifMatch: false)
        let recorded = try ChecksummedDocument.encode(probed, kind: RepositoryConfig.kind, version: RepositoryConfig.currentVersion)
        #expect(String(decoding: recorded, as: UTF8.self).contains("\"s3_conditional_writes\""))
        #expect(try ChecksummedDocument.decode(RepositoryConfig.self, from: recorded, kind: RepositoryConfig.kind,
                                               knownVersion: RepositoryConfig.currentVersion) == probed)
        #expect(S3ConditionalWrites.assumedForOldConfigs.conditionalPut == .ifNoneMatch)
        #expect(S3ConditionalWrites(ifNoneMatch: false, ifMatch: false).conditionalPut == .headThenPut)
    }
}
