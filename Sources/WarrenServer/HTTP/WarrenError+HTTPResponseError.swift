import HTTPTypes
import Hummingbird
import WarrenCore

/// A core error thrown by a handler is answered as its ``APIError``.
extension WarrenError: HTTPResponseError {
    public var status: HTTPResponse.Status { APIError(self).status }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try APIError(self).response(from: request, context: context)
    }
}
