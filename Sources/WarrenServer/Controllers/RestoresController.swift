import Hummingbird
import WarrenCore

/// `/v1/restores`: restore jobs, and the restore history (`warren restores --json`).
struct RestoresController {
    let dependencies: ServiceDependencies

    var endpoints: RouteCollection<WarrenRequestContext> {
        let routes = RouteCollection(context: WarrenRequestContext.self)
        routes.get(use: list)
        routes.post(use: create)
        return routes
    }

    @Sendable func list(_ request: Request, context: WarrenRequestContext) throws -> Answer<[RestoreRunSummary]> {
        let query = request.uri.queryParameters
        if let unknown = query.map({ String($0.key) }).first(where: { $0 != "node" }) {
            throw APIError.badRequest("unknown_parameter", "unknown query parameter '\(unknown.prefix(64))'")
        }
        return Answer(value: try RestoreRunSummary.all(repository: dependencies.repository, node: query["node"].map(String.init)))
    }

    @Sendable func create(_ request: Request, context: WarrenRequestContext) async throws -> Answer<JobView> {
        let body = try await request.decode(as: RestoreBody.self, context: context)
        let restore = body.request(rabbitmqctl: dependencies.rabbitmqctl)
        guard restore.dryRun || body.confirm == true else {
            throw APIError.badRequest("confirm_required", "a restore replaces the node's data: send \"confirm\": true, or \"dry_run\": true for the plan")
        }
        let dependencies = self.dependencies
        let runner = RestoreRunner(repository: dependencies.repository, lockOptions: dependencies.lockOptions)
        try runner.validate(restore)
        if !restore.dryRun { try dependencies.refuseIfLockedElsewhere() }
        let job = try dependencies.jobs.submit(kind: .restore, needsLock: !restore.dryRun, node: restore.node,
                                               conflictKey: restore.dryRun ? nil : "node:" + restore.node,
                                               request: try JobManager.encoded(body), cancellable: true) { job in
            return try JobManager.encoded(try dependencies.restoreRunner(for: job).run(restore, progress: { job.report($0) }))
        }
        return .accepted(job)
    }
}
