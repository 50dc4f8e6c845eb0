import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import WarrenCore
@testable import WarrenServer

/// A repository with registered synthetic backups (no broker needed), and the service's
/// router on it, driven in process.
final class Fixture: @unchecked Sendable {
    static let passwordHash = "kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR"

    let root: String
    let repository: Repository
    let jobs: JobManager
    let service: ServiceDependencies
    var ids: [Int64] = []

    init(backups: Int = 3, nodes: [String] = ["rabbit@a"]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("warren-server-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        repository = try Repository.initialize(at: root + "/repo")
        let metrics = ServiceMetrics()
        jobs = JobManager(logger: Logger(label: "test"), metrics: metrics)
        service = ServiceDependencies(repository: repository, jobs: jobs, metrics: metrics)
        for i in 0..<backups {
            let dir = root + "/b\(i)"
            try Self.makeBackup(at: dir, seed: UInt64(i + 1))
            let taken = Date(timeIntervalSince1970: 1_790_000_000 + Double(i) * 3600)
            ids.append(try Registrar(repository: repository).register(
                RegisterRequest(directory: dir, node: nodes[i % nodes.count], label: "l\(i)", takenAt: taken)))
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Definitions with a user that has a password hash: it must never come back out.
    static func makeBackup(at root: String, seed: UInt64) throws {
        let vhostDir = "\(root)/msg_stores/vhosts/\(RabbitDirectoryName.vhost("/"))"
        let queueDir = "\(vhostDir)/queues/\(RabbitDirectoryName.queue(vhost: "/", queue: "orders"))"
        try FileManager.default.createDirectory(atPath: vhostDir + "/msg_store_persistent", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: queueDir, withIntermediateDirectories: true)
        try Data("""
            {"rabbit_version": "3.13.7", "rabbitmq_version": "3.13.7",
             "users": [{"name": "admin", "password_hash": "\(passwordHash)", "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": ["administrator"]}],
             "permissions": [], "vhosts": [{"name": "/"}], "topic_permissions": [], "parameters": [], "global_parameters": [],
             "policies": [], "exchanges": [], "bindings": [],
             "queues": [{"name": "orders", "vhost": "/", "durable": true, "auto_delete": false, "arguments": {}, "type": "classic"}]}
            """.utf8).write(to: URL(fileURLWithPath: root + "/definitions.json"))
        try Data("/".utf8).write(to: URL(fileURLWithPath: vhostDir + "/.vhost"))
        try Data("{segment_entry_count, 2048}.\n".utf8).write(to: URL(fileURLWithPath: vhostDir + "/.config"))
        try Data("VHOST: /\nQUEUE: orders\n".utf8).write(to: URL(fileURLWithPath: queueDir + "/.queue_name"))
        var state = seed | 1
        let bytes = (0..<8192).map { _ -> UInt8 in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: vhostDir + "/msg_store_persistent/\(seed).rdq"))
    }

    /// The router, with the job service that runs the jobs it submits.
    func app(token: String? = nil, rabbitmqctl: String? = nil) -> some ApplicationProtocol {
        var dependencies = service
        if let rabbitmqctl { dependencies.rabbitmqctl = rabbitmqctl }
        return Application(router: buildRouter(dependencies: dependencies, token: token), services: [JobService(jobs: jobs)])
    }
}

struct Answer {
    var status: Int
    var headers: HTTPFields
    var text: String
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, headers: HTTPFields = [:]) async throws -> Answer {
        try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            Answer(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
        }
    }

    /// Polls a job until it finishes.
    /// `timeout` only bounds a hung job: a loaded machine can take minutes over a `--full` verify.
    func finish(job id: Any?, timeout: Double = 900) async throws -> Answer {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let answer = try await call(.get, "/v1/jobs/\((id as? NSNumber)?.int64Value ?? -1)")
            let state = answer.object["state"] as? String
            if state == "succeeded" || state == "failed" || state == "cancelled" || Date() > deadline || answer.status != 200 { return answer }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }
}
