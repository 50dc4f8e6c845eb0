import Hummingbird
import WarrenCore

/// A job as `GET /v1/jobs/{id}` shows it: every key present (null when unset), so clients
/// see one shape.
public struct JobView: Encodable, Sendable, ResponseEncodable {
    var id: Int64
    var kind: JobKind
    var state: JobState
    var needsLock: Bool
    var cancelRequested: Bool
    var createdAt: String
    var startedAt: String?
    var finishedAt: String?
    var progress: ProgressSnapshot?
    var request: JSONValue
    var result: JSONValue?
    var error: APIError.Body.Detail?

    enum CodingKeys: String, CodingKey {
        case id, kind, state, needsLock, cancelRequested, createdAt, startedAt, finishedAt, progress, request, result, error
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(state, forKey: .state)
        try c.encode(needsLock, forKey: .needsLock)
        try c.encode(cancelRequested, forKey: .cancelRequested)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(progress, forKey: .progress)
        try c.encode(request, forKey: .request)
        try c.encode(result, forKey: .result)
        try c.encode(error, forKey: .error)
    }
}
