import Hummingbird
import WarrenCore
import Logging

/// Logs every request once answered: at `debug` when it succeeded, `info` when it was
/// refused (4xx), `error` when the service failed (5xx), with method, path and status.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            log(request, context: context, status: Int(response.status.code), code: nil)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context: context, status: Int(error.status.code), code: (error as? APIError)?.code ?? (error as? WarrenError)?.code)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, code: String?) {
        let level: Logger.Level = status >= 500 ? .error : status >= 400 ? .info : .debug
        var metadata: Logger.Metadata = ["method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(status)"]
        if let code { metadata["code"] = "\(code)" }
        context.logger.log(level: level, status >= 400 ? "request refused" : "request", metadata: metadata)
    }
}
