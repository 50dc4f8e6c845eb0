import Foundation
import Testing
@testable import WarrenCore

@Suite struct ClassicTypePinningTests {
    func queues(_ bytes: [UInt8]) throws -> [[String: JSONValue]] {
        guard case let .object(root) = try StrictJSON.parse(bytes), case let .array(queues)? = root["queues"] else { return [] }
        return queues.compactMap { if case let .object(q) = $0 { return q } else { return nil } }
    }

    @Test func classicQueuesGetAnExplicitTypeOthersAreLeftAlone() throws {
        let json = """
            {"rabbit_version":"3.10.8","users":[{"name":"guest","password_hash":"x"}],"queues":[
             {"name":"a","vhost":"/","durable":true,"auto_delete":false,"arguments":{},"type":"classic"},
             {"name":"b","vhost":"shop","durable":true,"auto_delete":false,"arguments":{"x-queue-version":2,"x-max-length":1000}},
             {"name":"q","vhost":"/","durable":true,"auto_delete":false,"arguments":{"x-queue-type":"quorum"},"type":"quorum"},
             {"name":"c","vhost":"/","durable":true,"auto_delete":false,"arguments":{"x-queue-type":"classic"}}]}
            """
        let pinned = try ClassicTypePinning(definitions: Array(json.utf8))
        #expect(pinned.pinned == ["//a", "shop/b"])
        let out = try queues(pinned.bytes)
        #expect(out.count == 4)
        #expect(out[0]["arguments"] == .object(["x-queue-type": .string("classic")]))
        #expect(out[1]["arguments"] == .object(["x-queue-version": .integer(2), "x-max-length": .integer(1000), "x-queue-type": .string("classic")]))
        #expect(out[2]["arguments"] == .object(["x-queue-type": .string("quorum")]))
        // Everything else is kept.
        guard case let .object(root) = try StrictJSON.parse(pinned.bytes) else { Issue.record("not an object"); return }
        #expect(root["rabbit_version"] == .string("3.10.8"))
        #expect(root["users"] == .array([.object(["name": .string("guest"), "password_hash": .string("x")])]))
    }

    @Test func unchangedDefinitionsAreImportedByteForByte() throws {
        let json = Array(#"{"queues":[{"name":"q","vhost":"/","arguments":{"x-queue-type":"quorum"},"type":"quorum"}]}"#.utf8)
        let pinned = try ClassicTypePinning(definitions: json)
        #expect(pinned.pinned.isEmpty)
        #expect(pinned.bytes == json)
    }

    @Test func handOverFollowsTheCLIVersion() {
        #expect(DefinitionsHandOver.forCLI(version: BrokerVersion("3.10.8")) == .standardInput)
        #expect(DefinitionsHandOver.forCLI(version: BrokerVersion("3.13.7")) == .standardInput)
        #expect(DefinitionsHandOver.forCLI(version: BrokerVersion("4.0.5")) == .filePath)
        #expect(DefinitionsHandOver.forCLI(version: nil) == .filePath)
        #expect(DefinitionsHandOver.filePath.arguments == ["import_definitions", "/dev/stdin"])
    }

    @Test func privateFileIsOwnerOnlyAndRemovedAlsoWhenTheStepFails() throws {
        let dir = NSTemporaryDirectory() + "warren-handover-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        struct Boom: Error {}
        var seen: String?
        #expect(throws: Boom.self) {
            try DefinitionsHandOver.withPrivateFile(Array("{}".utf8), in: dir, owner: nil) { path in
                seen = path
                #expect(try Posix.lstatOrThrow(path).mode & 0o777 == 0o600)
                #expect(try String(contentsOfFile: path, encoding: .utf8) == "{}")
                throw Boom()
            }
        }
        #expect(seen != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }
}
