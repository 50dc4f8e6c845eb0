import Foundation
import Logging
import HTTPTypes
import Hummingbird
import WarrenCore

/// An error answered as `{"error": {"code", "message", "details"}}` with its HTTP status.
/// Thrown by handlers, it is turned into its answer by Hummingbird itself (``HTTPResponseError``).
public struct APIError: HTTPResponseError, Sendable {
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
        case .backupNotFound, .backupDeleted: status = .notFound
        case .invalidArgument, .invalidBackup, .invalidDefinitions: status = .badRequest
        case .unmatchedExclusions: status = .conflict
        case .scheduleNotFound: status = .notFound
        case .lockHeld, .serviceRunning: status = .conflict
        case .restoreRefused, .lossRefused: status = .unprocessableContent
        case .rebuildRefused: status = .conflict
        case .configurationInvalid: status = .internalServerError
        case .broker, .hookFailed, .stepFailed, .targetChanged: status = .badGateway
        case .interrupted: status = .conflict
        case .brokerTimeout: status = .gatewayTimeout
        case .restoreInterrupted: status = .conflict
        case .repositoryNotFound, .repositoryExists, .catalogTooNew, .io, .catalog: status = .internalServerError
        case .diskFull: status = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
        case let .s3(failure):
            switch failure {
            case .notYetSupported: status = .notImplemented
            case .unreachable, .server, .invalidResponse: status = .badGateway
            case .timedOut: status = .gatewayTimeout
            default: status = .internalServerError
            }
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
        if case let .backupDeleted(id, _, deletedAt, cause) = error {
            details = .object(["id": .integer(id), "deleted_at": .string(deletedAt), "deleted_by": .string(cause.rawValue)])
        }
        if case let .invalidArgument(name, _) = error { details = .object(["field": .string(name)]) }
        if case let .scheduleNotFound(id) = error { details = .object(["id": .integer(id)]) }
        var message = error.description
        if case let .unmatchedExclusions(unmatched) = error {
            details = .object(["field": .string(unmatched.field)])
            message = unmatched.message(
                queueOption: "exclude_queues", vhostOption: "exclude_vhosts", allowHint: "set \"allow_unmatched_exclusions\": true")
        }
        self.init(status, error.code, message, details: details)
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

    /// The error's JSON body, encoded by the context's encoder (the CLI's `--json` style).
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(Body(error: .init(code: code, message: message, details: details)), from: request, context: context)
        response.status = status
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"warren\"" }
        return response
    }
}

