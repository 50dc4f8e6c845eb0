import Hummingbird
import WarrenCore

/// What the router answers by itself gets Warren's JSON error shape: an unknown path is
/// 404 `not_found`, a known path with another method 405 `method_not_allowed` with `Allow`.
/// Errors that are not ``HTTPResponseError``s (a bug) become a JSON 500 rather than an
/// empty one. Handlers' own errors (``APIError``, ``WarrenError``) pass through untouched:
/// Hummingbird answers them.
struct UnroutedRequestMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as WarrenError {
            throw error
        } catch {
            let api = APIError.from(error)
            guard api.code == "not_found" else { throw api }
            let allow = routes.methods(for: request.uri.path)
            guard !allow.isEmpty else { throw api }
            var response = try APIError(.methodNotAllowed, "method_not_allowed",
                                        "\(request.method) is not allowed on \(request.uri.path); allowed: \(allow.joined(separator: ", "))")
                .response(from: request, context: context)
            response.headers[.allow] = allow.joined(separator: ", ")
            return response
        }
    }
}
