import Hummingbird
import WarrenCore

/// `/v1/prune`: prune jobs (by the stored policies, or by the `keep_*` fields given).
struct PruneController {
    let dependencies: ServiceDependencies

    var endpoints: RouteCollection<WarrenRequestContext> {
        let routes = RouteCollection(context: WarrenRequestContext.self)
        routes.post(use: create)
        return routes
    }

    @Sendable func create(_ request: Request, context: WarrenRequestContext) async throws -> Answer<JobView> {
        let body = try await request.decode(as: PruneBody.self, context: context)
        let policy = try body.rules.policy()
        let dryRun = body.dryRun ?? false
        let prune = PruneRequest(policy: policy.isEmpty ? nil : policy, node: body.node, dryRun: dryRun,
                                 configured: dependencies.configuredRetention)
        try Pruner.validate(prune)
        if !dryRun { try dependencies.refuseIfLockedElsewhere() }
        let dependencies = self.dependencies
        let job = try dependencies.jobs.submit(kind: .prune, needsLock: !dryRun, node: body.node, conflictKey: dryRun ? nil : "prune",
                                               request: try JobManager.encoded(body), cancellable: false) { _ in
            if dryRun { return try JobManager.encoded(try Pruner.dryRun(prune, in: dependencies.repository)) }
            var pruner = Pruner(repository: dependencies.repository)
            pruner.lockOptions = dependencies.lockOptions
            return try JobManager.encoded(try pruner.prune(prune))
        }
        return .accepted(job)
    }
}
