import Foundation
@testable import WarrenCore

/// A throwaway SeaweedFS S3 server started by `Tools/seaweedfs` (`weed mini` on loopback, its
/// own ports and data directory, one identity so signatures are checked). Use
/// ``with(_:_:)`` so the server is stopped even when the test fails. A server that cannot
/// start fails the test: real-server tests are never skipped.
final class SeaweedServer: Sendable {
    let name: String
    let endpoint: S3Endpoint
    let bucket: String
    let credentials: S3Credentials
    let directory: String

    static let tool = Command.packageRoot + "/Tools/seaweedfs"

    private init(name: String) throws {
        let output = try Command.check(Self.tool, ["start", name])
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        guard let endpointText = values["ENDPOINT"], let bucket = values["BUCKET"], let key = values["ACCESS_KEY"],
              let secret = values["SECRET_KEY"], let dir = values["DIR"],
              case let .s3(location) = try RepositoryAddress.parse("s3:\(endpointText)/\(bucket)") else {
            throw CommandFailure(command: "seaweedfs start \(name)", result: .init(status: 0, stdout: output, stderr: "unexpected output"))
        }
        self.name = name
        endpoint = location.endpoint
        self.bucket = bucket
        credentials = S3Credentials(accessKeyID: key, secretAccessKey: secret, region: values["REGION"] ?? "us-east-1")
        directory = dir
    }

    /// Starts a server named `prefix-<pid>`, runs `body`, and always stops the server.
    static func with<T>(_ prefix: String, _ body: (SeaweedServer) throws -> T) throws -> T {
        let name = "\(prefix)-\(getpid())"
        _ = try? Command.run(tool, ["stop", name])
        let server = try SeaweedServer(name: name)
        defer { server.stop() }
        return try body(server)
    }

    /// ``with(_:_:)`` for an async body.
    static func withAsync<T>(_ prefix: String, _ body: (SeaweedServer) async throws -> T) async throws -> T {
        let name = "\(prefix)-\(getpid())"
        _ = try? Command.run(tool, ["stop", name])
        let server = try SeaweedServer(name: name)
        defer { server.stop() }
        return try await body(server)
    }

    /// `s3:http://127.0.0.1:PORT/BUCKET/PREFIX`.
    func location(prefix: String) -> S3Location { S3Location(endpoint: endpoint, bucket: bucket, prefix: prefix) }

    func storage(prefix: String, credentials: S3Credentials? = nil, policy: S3RetryPolicy = .standard,
                 conditionalPut: S3Storage.ConditionalPut = .ifNoneMatch, multipartThreshold: Int = 64 << 20) -> S3Storage {
        S3Storage(location: location(prefix: prefix), credentials: credentials ?? self.credentials, policy: policy,
                  conditionalPut: conditionalPut, multipartThreshold: multipartThreshold, partSize: S3Client.minimumPartSize)
    }

    func client(credentials: S3Credentials? = nil, policy: S3RetryPolicy = .standard) -> S3Client {
        S3Client(endpoint: endpoint, bucket: bucket, credentials: credentials ?? self.credentials, policy: policy)
    }

    /// The objects of the plaintext repository under `prefix`, by stored name: the loose ones
    /// under `objects/` and every one a pack index names (``PackedStorage``).
    func storedObjects(prefix: String) throws -> Set<String> {
        let client = client()
        var names = Set(try client.listObjects(prefix: prefix + "/objects/").map { String($0.key.split(separator: "/").last ?? "") })
        for listed in try client.listObjects(prefix: prefix + "/pack-indexes/") {
            names.formUnion(try packMembers(prefix: prefix, pack: String(listed.key.split(separator: "/").last ?? "")))
        }
        return names
    }

    /// The objects the index of pack `pack` names (a plaintext repository's).
    func packMembers(prefix: String, pack: String) throws -> [String] {
        let key = prefix + "/pack-indexes/" + pack
        guard let bytes = try client().getObject(key) else { return [] }
        return try PackIndex.decode(bytes, name: key, expectedPack: pack).members.map(\.object)
    }

    /// SIGKILL the server, keeping its data and ports (a server dying mid-request).
    func kill() throws { try Command.check(Self.tool, ["kill", name]) }

    /// Starts a killed server again on the same ports and data.
    func restart() throws { try Command.check(Self.tool, ["restart", name]) }

    func stop() { _ = try? Command.run(Self.tool, ["stop", name]) }
}
