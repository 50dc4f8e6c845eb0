import Hummingbird
import WarrenCore

/// `GET /v1/restores`: the restore history, the `warren restores --json` array
/// (`POST /v1/restores`, which starts a restore job, is in ``JobsController``).
struct RestoresController {
    let service: ServiceContext

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.get("restores") { request, _ in
            let query = request.uri.queryParameters
            if let unknown = query.map({ String($0.key) }).first(where: { $0 != "node" }) {
                throw APIError.badRequest("unknown_parameter", "unknown query parameter '\(unknown.prefix(64))'")
            }
            return JSONResponse.make(try RestoreRunSummary.all(repository: service.repository, node: query["node"].map(String.init)))
        }
    }
}
