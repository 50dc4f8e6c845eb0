import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import WarrenCore

/// ``S3Storage`` and ``S3Client`` against a real SeaweedFS S3 server (Tools/seaweedfs) that
/// checks every signature: no mock S3. Serialized: each test has its own server, and
/// seven `weed mini` at once on the shared 2-core machine slow every test down.
@Suite(.serialized) struct S3StorageEndToEndTests {
    static let quick = S3RetryPolicy(attempts: 2, baseDelay: 0.05, requestTimeout: 30)

    @Test func roundTripListingAndPutIfAbsent() throws {
        try SeaweedServer.with("s3-roundtrip") { server in
            let storage = server.storage(prefix: "repo/one")
            #expect(try storage.probeConditionalWrites())
            let manifest = StorageName.manifest(backupID: 42)
            #expect(try storage.get(manifest) == nil)
            #expect(try storage.head(manifest) == nil)
            #expect(try storage.put(manifest, Array("first".utf8), ifAbsent: true) == .written)
            #expect(try storage.put(manifest, Array("second".utf8), ifAbsent: true) == .alreadyPresent)
            #expect(try storage.get(manifest) == Array("first".utf8))
            #expect(try storage.head(manifest) == 5)
            #expect(try storage.put(manifest, Array("third".utf8), ifAbsent: false) == .written)
            #expect(try storage.get(manifest) == Array("third".utf8))
            #expect(storage.describe(manifest) == "s3:\(server.endpoint)/\(server.bucket)/repo/one/manifests/00000000000000000042")

            // HEAD-then-PUT, for servers without If-None-Match, keeps the first content too.
            let fallback = server.storage(prefix: "repo/one", conditionalPut: .headThenPut)
            #expect(try fallback.put(manifest, Array("fourth".utf8), ifAbsent: true) == .alreadyPresent)
            #expect(try storage.get(manifest) == Array("third".utf8))

            // Listing: sorted, only the names directly under the prefix, sub-"directories" as names.
            for id in [7, 3, 11] as [Int64] { try storage.put(.manifest(backupID: id), [1], ifAbsent: true) }
            try storage.put(.pin(backupID: 3), [1], ifAbsent: false)
            try storage.put(.verdict(backupID: 3), [1], ifAbsent: false)
            #expect(try storage.list(prefix: StorageName.manifestsPrefix).compactMap(\.backupID) == [3, 7, 11, 42])
            #expect(try storage.list(prefix: "state").map(\.path) == ["state/pins", "state/verdicts"])
            #expect(try storage.list(prefix: StorageName.tombstonesPrefix).isEmpty)

            // The keys really are under the prefix, and another prefix is another repository.
            let keys = try server.client().listObjects(prefix: "repo/one/manifests/").map(\.key)
            #expect(keys.contains("repo/one/manifests/00000000000000000042"))
            #expect(try server.storage(prefix: "repo/two").list(prefix: StorageName.manifestsPrefix).isEmpty)

            try storage.delete(manifest)
            try storage.delete(manifest)  // missing: not an error
            #expect(try storage.get(manifest) == nil)
            #expect(try storage.list(prefix: StorageName.manifestsPrefix).compactMap(\.backupID) == [3, 7, 11])
        }
    }

    /// ListObjectsV2 pages: 7 objects at 2 a page is 4 requests, all keys once, in order.
    @Test func listingFollowsContinuationTokens() throws {
        try SeaweedServer.with("s3-paging") { server in
            let client = server.client()
            let keys = (1...7).map { "paged/k\($0)" }
            for key in keys.reversed() { try client.putObject(key, Array(key.utf8)) }
            let listed = try client.listObjects(prefix: "paged/", pageSize: 2)
            #expect(listed.map(\.key) == keys)
            #expect(listed.map(\.size) == keys.map { Int64($0.utf8.count) })
        }
    }

    /// An object above the threshold goes up in 5 MiB parts and reads back byte for byte;
    /// put-if-absent holds for multipart uploads too.
    @Test func multipartUpload() throws {
        let bytes = Self.pseudoRandomBytes(count: (11 << 20) + 7)
        try SeaweedServer.with("s3-multipart") { (server: SeaweedServer) throws -> Void in
            let storage = server.storage(prefix: "big", multipartThreshold: S3Client.minimumPartSize)
            let name = StorageName.config
            #expect(try storage.put(name, bytes, ifAbsent: true) == .written)
            #expect(try storage.head(name) == Int64(bytes.count))
            #expect(try storage.get(name) == bytes)
            #expect(try storage.put(name, Array(bytes.prefix(6 << 20)), ifAbsent: true) == .alreadyPresent)
            #expect(try storage.head(name) == Int64(bytes.count))
        }
    }

    /// A wrong secret is "signature does not match", a wrong access key "access denied", both
    /// exit 2; nothing is written.
    @Test func wrongKeysRefused() throws {
        try SeaweedServer.with("s3-keys") { server in
            let right = server.credentials
            let wrongSecret = server.storage(prefix: "p", credentials: S3Credentials(accessKeyID: right.accessKeyID, secretAccessKey: "not-the-secret", region: right.region))
            let key = "p/manifests/00000000000000000001"
            #expect(throws: S3Error.signatureMismatch(endpoint: server.endpoint.description, bucket: server.bucket, key: key)) {
                try wrongSecret.put(.manifest(backupID: 1), [1, 2, 3], ifAbsent: true)
            }
            #expect(throws: S3Error.signatureMismatch(endpoint: server.endpoint.description, bucket: server.bucket, key: key)) {
                try wrongSecret.get(.manifest(backupID: 1))
            }
            #expect(throws: S3Error.signatureMismatch(endpoint: server.endpoint.description, bucket: server.bucket, key: "p/manifests/")) {
                try wrongSecret.list(prefix: StorageName.manifestsPrefix)
            }
            #expect(WarrenError.s3(.signatureMismatch(endpoint: "e", bucket: "b", key: nil)).exitCode == 2)
            #expect(S3Error.signatureMismatch(endpoint: "e", bucket: "b", key: "k").description.contains("signature does not match"))

            let wrongKey = server.storage(prefix: "p", credentials: S3Credentials(accessKeyID: "NOSUCHKEY", secretAccessKey: right.secretAccessKey, region: right.region))
            do {
                try wrongKey.put(.manifest(backupID: 1), [1, 2, 3], ifAbsent: true)
                Issue.record("an unknown access key was accepted")
            } catch let S3Error.accessDenied(_, bucket, deniedKey, code, _) {
                #expect(bucket == server.bucket)
                #expect(deniedKey == key)
                #expect(code == "InvalidAccessKeyId")
                #expect(WarrenError.s3(.accessDenied(endpoint: "", bucket: bucket, key: deniedKey, code: code, message: "")).exitCode == 2)
            }
            #expect(try server.storage(prefix: "p").get(.manifest(backupID: 1)) == nil)
        }
    }

    /// Nothing listening: "cannot be reached" after the retries, at once. A server that takes
    /// the connection and never answers: a time-out, not a hang.
    @Test func unreachableAndSilentEndpoints() throws {
        let closed = try Self.listeningSocket(listen: false)
        defer { close(closed.fd) }
        let nobody = S3Client(endpoint: S3Endpoint(scheme: .http, host: "127.0.0.1", port: closed.port), bucket: "warren-test",
                              credentials: S3Credentials(accessKeyID: "k", secretAccessKey: "s"), policy: Self.quick)
        do {
            _ = try nobody.getObject("x")
            Issue.record("a closed port answered")
        } catch let S3Error.unreachable(endpoint, _, attempts) {
            #expect(endpoint == "http://127.0.0.1:\(closed.port)")
            #expect(attempts == 2)
        }

        let silent = try Self.listeningSocket(listen: true)
        defer { close(silent.fd) }
        let policy = S3RetryPolicy(attempts: 2, baseDelay: 0.05, requestTimeout: 1)
        let hanging = S3Client(endpoint: S3Endpoint(scheme: .http, host: "127.0.0.1", port: silent.port), bucket: "warren-test",
                               credentials: S3Credentials(accessKeyID: "k", secretAccessKey: "s"), policy: policy)
        let started = Date()
        do {
            _ = try hanging.getObject("x")
            Issue.record("a silent server answered")
        } catch let S3Error.timedOut(_, operation, seconds, attempts) {
            #expect(operation == "GET x")
            #expect(seconds == 1)
            #expect(attempts == 2)
        }
        #expect(Date().timeIntervalSince(started) < 30)
    }

    /// The server killed: an error once the retries are spent. Restarted between two tries
    /// (from the retry hook, so no timing is involved): the request succeeds, with the data
    /// written before the kill.
    @Test func killedServerThenRestartedDuringRetries() throws {
        try SeaweedServer.with("s3-restart") { server in
            let storage = server.storage(prefix: "r")
            try storage.put(.manifest(backupID: 5), Array("kept".utf8), ifAbsent: true)
            try server.kill()
            let dead = server.storage(prefix: "r", policy: Self.quick)
            do {
                _ = try dead.get(.manifest(backupID: 5))
                Issue.record("a killed server answered")
            } catch let S3Error.unreachable(endpoint, _, attempts) {
                #expect(endpoint == server.endpoint.description)
                #expect(attempts == 2)
            }

            let retries = Counter()
            // A restarted server answers 500 InternalError for a while (its volume server is not
            // yet registered): those 5xx are retried too, with backoff, up to 0.2 × (2⁹ − 1) s.
            let policy = S3RetryPolicy(attempts: 10, baseDelay: 0.2, requestTimeout: 30, beforeRetry: { attempt, _ in
                retries.add()
                if attempt == 1 { try? server.restart() }
            })
            #expect(try server.storage(prefix: "r", policy: policy).get(.manifest(backupID: 5)) == Array("kept".utf8))
            #expect(retries.value >= 1)
        }
    }

    /// The synchronous protocol from many tasks of Swift's cooperative pool at once (2
    /// threads on this machine): no deadlock, since the requests run on SwiftNIO's loops. On
    /// an event loop itself, the call is refused instead of waiting on itself.
    @Test func blockingCallsFromTasksAndEventLoops() async throws {
        try await SeaweedServer.withAsync("s3-bridge") { server in
            let storage = server.storage(prefix: "b")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in 1...16 as ClosedRange<Int64> {
                    group.addTask {
                        try storage.put(.manifest(backupID: id), Array("\(id)".utf8), ifAbsent: true)
                        #expect(try storage.get(.manifest(backupID: id)) == Array("\(id)".utf8))
                    }
                }
                try await group.waitForAll()
            }
            #expect(try storage.list(prefix: StorageName.manifestsPrefix).count == 16)
            let onLoop = try await MultiThreadedEventLoopGroup.singleton.next().submit { () -> String in
                do {
                    _ = try storage.get(.manifest(backupID: 1))
                    return "answered"
                } catch let error as S3Error {
                    return error.code
                } catch {
                    return "\(error)"
                }
            }.get()
            #expect(onLoop == "s3_called_on_event_loop")
        }
    }

    static func pseudoRandomBytes(count: Int) -> [UInt8] {
        var state = UInt64.random(in: 1...UInt64.max)
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return bytes
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.lock(); count += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    }

    /// A loopback TCP socket on a free port: listening (connections are accepted by the
    /// kernel and never answered), or only bound (connections are refused).
    static func listeningSocket(listen shouldListen: Bool) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, !shouldListen || listen(fd, 16) == 0 else { throw WarrenError.io(path: "127.0.0.1", operation: "bind", errno: errno) }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
