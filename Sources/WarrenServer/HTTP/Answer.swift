import HTTPTypes
import Hummingbird

/// An `Encodable` answer with a status and headers other than 200 (`202 Accepted` plus
/// `Location` for a new job), encoded by the context's ``WarrenResponseEncoder``.
struct Answer<Value: Encodable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(value, from: request, context: context)
        response.status = status
        for field in headers { response.headers[field.name] = field.value }
        return response
    }
}

extension Answer where Value == JobView {
    /// `202 Accepted` with the new job and its `Location`.
    static func accepted(_ job: Job) -> Answer {
        Answer(value: job.view, status: .accepted, headers: [.location: "/v1/jobs/\(job.id)"])
    }
}
