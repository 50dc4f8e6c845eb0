import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import WarrenCore

/// The CLI's side of `--socket`: the same answers, asked of a running service over its Unix
/// socket with AsyncHTTPClient (the commands are synchronous: each call waits for its answer).
struct ServiceClient {
    let socket: String
    /// Seconds one request may take.
    var timeout: Int64 = 30

    init(socket: String) {
        self.socket = socket
    }

    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
    }

    /// One request; a socket nobody listens on is an I/O error naming it.
    func send(_ method: HTTPMethod, _ target: String, body: Data? = nil) throws -> Answer {
        guard let url = URL(httpURLWithSocketPath: socket, uri: target) else {
            throw WarrenError.invalidArgument(name: "--socket", reason: "'\(socket)' cannot be used as a socket path")
        }
        var headers = HTTPHeaders()
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        let request = try HTTPClient.Request(url: url, method: method, headers: headers, body: body.map { .bytes($0) })
        let response: HTTPClient.Response
        do {
            response = try HTTPClient.shared.execute(request: request, deadline: .now() + .seconds(timeout)).wait()
        } catch {
            throw WarrenError.io(path: socket, operation: "ask the Warren service (is `warren serve` running?): \(error)", errno: ECONNREFUSED)
        }
        return Answer(status: Int(response.status.code), headers: response.headers,
                      body: response.body.map { Data($0.readableBytesView) } ?? Data())
    }

    /// An error answer of the service, reported like a local one.
    struct Failure: Error {
        var status: Int
        var code: String
        var message: String

        var exitCode: Int32 {
            switch code {
            case "backup_not_found": return 3
            case "lock_held", "service_running", "conflicting_job": return 8
            case "restore_refused": return 9
            case "loss_refused": return 12
            default: return status >= 500 ? 1 : 64
            }
        }
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    func request(_ method: HTTPMethod, _ target: String, body: Data? = nil) throws -> Data {
        let response = try send(method, target, body: body)
        guard (200..<300).contains(response.status) else {
            struct Body: Decodable { struct Detail: Decodable { var code: String; var message: String }; var error: Detail }
            if let body = try? JSONDecoder().decode(Body.self, from: response.body) {
                throw Failure(status: response.status, code: body.error.code, message: body.error.message)
            }
            throw Failure(status: response.status, code: "http_\(response.status)", message: "the service answered HTTP \(response.status)")
        }
        return response.body
    }

    func get<T: Decodable>(_ type: T.Type, _ target: String) throws -> T {
        try Self.decoder.decode(T.self, from: request(.GET, target))
    }

    /// Every backup (following the cursor), or the first `limit`.
    func list(node: String?, limit: Int?) throws -> [BackupSummary] {
        var all: [BackupSummary] = []
        var cursor: String?
        repeat {
            var items = [URLQueryItem(name: "limit", value: String(min(limit.map { $0 - all.count } ?? 1000, 1000)))]
            if let node { items.append(URLQueryItem(name: "node", value: node)) }
            if let cursor { items.append(URLQueryItem(name: "cursor", value: cursor)) }
            var components = URLComponents()
            components.path = "/v1/backups"
            components.queryItems = items
            let target = components.percentEncodedPath + "?" + (components.percentEncodedQuery ?? "")
            let response = try send(.GET, target)
            guard response.status == 200 else { _ = try request(.GET, target); break }
            all += try Self.decoder.decode([BackupSummary].self, from: response.body)
            cursor = response.headers.first(name: "warren-next-cursor")
        } while cursor != nil && (limit.map { all.count < $0 } ?? true)
        return all
    }

    /// Starts a job and waits for it; returns its result (the CLI's JSON of the operation).
    func runJob(_ target: String, body: Data) throws -> Data {
        let accepted = try JSONSerialization.jsonObject(with: request(.POST, target, body: body)) as? [String: Any]
        guard let id = (accepted?["id"] as? NSNumber)?.int64Value else {
            throw Failure(status: 500, code: "bad_answer", message: "the service did not return a job")
        }
        while true {
            let job = try JSONSerialization.jsonObject(with: request(.GET, "/v1/jobs/\(id)")) as? [String: Any] ?? [:]
            switch job["state"] as? String {
            case "succeeded":
                return try JSONSerialization.data(withJSONObject: job["result"] ?? NSNull())
            case "failed", "cancelled":
                let error = job["error"] as? [String: Any]
                throw Failure(status: 500, code: error?["code"] as? String ?? "job_failed",
                              message: error?["message"] as? String ?? "job \(id) ended \(job["state"] ?? "")")
            default:
                usleep(100_000)
            }
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        try decoder.decode(T.self, from: data)
    }
}
