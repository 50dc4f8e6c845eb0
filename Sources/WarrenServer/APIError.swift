import Foundation
import Logging
import HTTPTypes
import Hummingbird
import WarrenCore

/// An error answered as `{"error": {"code", "message", "details"}}` with its HTTP status.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: JSONValue?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, details: JSONValue? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    static func badRequest(_ code: String, _ message: String, details: JSONValue? = nil) -> APIError {
        APIError(.badRequest, code, message, details: details)
    }

    /// The HTTP face of a WarrenCore error.
    public init(_ error: WarrenError) {
        let status: HTTPResponse.Status
        switch error {
        case .backupNotFound: status = .notFound
        case .invalidArgument, .invalidBackup, .invalidDefinitions: status = .badRequest
        case .lockHeld, .serviceRunning: status = .conflict
        case .restoreRefused, .lossRefused: status = .unprocessableContent
        case .broker, .hookFailed, .stepFailed: status = .badGateway
        case .interrupted: status = .conflict
        case .repositoryNotFound, .repositoryExists, .catalogTooNew, .io, .catalog: status = .internalServerError
        case .diskFull: status = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
        case let .crypto(failure):
            switch failure {
            case .keyNotFound: status = .notFound
            case .lastKey, .keyInUse: status = .conflict
            case .passwordSourcesConflict, .invalidScryptParameters, .keyIDAmbiguous: status = .badRequest
            default: status = .internalServerError
            }
        }
        var details: JSONValue?
        if case let .lockHeld(_, holder, _) = error, let holder {
            details = .object(["holder_pid": .integer(Int64(holder.pid)), "holder_host": .string(holder.host),
                               "holder_command": .string(holder.command), "holder_since": .string(holder.startedAt)])
        }
        if case let .backupNotFound(id) = error { details = .object(["id": .integer(id)]) }
        self.init(status, error.code, error.description, details: details)
    }

    /// Any error, as the service answers it.
    public static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as WarrenError: return APIError(error)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return APIError(.notFound, "not_found", "no such endpoint; see GET /v1/openapi.json")
            case .methodNotAllowed: return APIError(.methodNotAllowed, "method_not_allowed", "method not allowed on this endpoint")
            case .contentTooLarge: return APIError(.contentTooLarge, "body_too_large", "request body too large")
            default:
                let status = error.status
                return APIError(status, status.code < 500 ? "bad_request" : "internal_error", error.body ?? status.reasonPhrase)
            }
        default:
            return APIError(.internalServerError, "internal_error", "\(error)")
        }
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var details: JSONValue?
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(code, forKey: .code)
                try c.encode(message, forKey: .message)
                try c.encode(details ?? .null, forKey: .details)
            }
            enum CodingKeys: String, CodingKey { case code, message, details }
        }
        var error: Detail
    }

    public var response: Response {
        var response = JSONResponse.make(Body(error: .init(code: code, message: message, details: details)), status: status)
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"warren\"" }
        return response
    }
}

/// The router's paths and their methods, filled once every route is added: an unknown
/// method on a known path is 405 (with Allow), not 404.
final class RouteTable: @unchecked Sendable {
    private var routes: [(segments: [String], method: String)] = []

    func fill(_ router: Router<BasicRequestContext>) {
        routes = router.routes.map { ($0.path.description.split(separator: "/").map(String.init), $0.method.rawValue.uppercased()) }
    }

    func methods(for path: String) -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return routes.filter { route in
            route.segments.count == parts.count && zip(route.segments, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.map(\.method).sorted()
    }
}

/// Turns every error below it into the JSON error body, and logs it.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var api = APIError.from(error)
            var allow: [String] = []
            if api.code == "not_found" {
                allow = routes.methods(for: request.uri.path)
                if !allow.isEmpty {
                    api = APIError(.methodNotAllowed, "method_not_allowed", "\(request.method) is not allowed on \(request.uri.path); allowed: \(allow.joined(separator: ", "))")
                }
            }
            let level: Logger.Level = api.status.code >= 500 ? .error : .info
            context.logger.log(level: level, "request failed", metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(api.status.code)", "code": "\(api.code)",
            ])
            var response = api.response
            if !allow.isEmpty { response.headers[.allow] = allow.joined(separator: ", ") }
            return response
        }
    }
}

/// The TCP listener's guard: every request needs `Authorization: Bearer <token>`.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let given = request.headers[.authorization] ?? ""
        let expected = "Bearer " + token
        guard Self.constantTimeEqual(Array(given.utf8), Array(expected.utf8)) else {
            throw APIError(.unauthorized, "unauthorized", "this listener requires Authorization: Bearer <token> (the serve --token-file)")
        }
        return try await next(request, context)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}
