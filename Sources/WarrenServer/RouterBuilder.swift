import Hummingbird
import WarrenCore

/// Builds the `/v1` router: one controller per resource, each given its dependencies.
/// `token` non-nil puts every route behind `Authorization: Bearer`.
public func buildRouter(dependencies: ServiceDependencies, token: String? = nil) -> Router<WarrenRequestContext> {
    // The routes once more, without middleware, for the 405 answers' `Allow`.
    let probe = Router(context: WarrenRequestContext.self)
    addRoutes(to: probe, dependencies)
    let router = Router(context: WarrenRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    if let token { router.add(middleware: BearerTokenMiddleware(token: token)) }
    router.add(middleware: UnroutedRequestMiddleware(routes: RouteTable(probe.routes)))
    addRoutes(to: router, dependencies)
    return router
}

private func addRoutes(to router: Router<WarrenRequestContext>, _ dependencies: ServiceDependencies) {
    let v1 = router.group("v1")
    v1.addRoutes(SystemController(dependencies: dependencies).endpoints)
    v1.addRoutes(BackupsController(dependencies: dependencies).endpoints, atPath: "backups")
    v1.addRoutes(PinsController(dependencies: dependencies).endpoints, atPath: "backups/{id}/pin")
    v1.addRoutes(DiffController(dependencies: dependencies).endpoints, atPath: "diff")
    v1.addRoutes(JobsController(dependencies: dependencies).endpoints, atPath: "jobs")
    v1.addRoutes(RestoresController(dependencies: dependencies).endpoints, atPath: "restores")
    v1.addRoutes(RestoreRecoveryController(dependencies: dependencies).endpoints, atPath: "restores/{node}")
    v1.addRoutes(PruneController(dependencies: dependencies).endpoints, atPath: "prune")
    v1.addRoutes(PolicyController(dependencies: dependencies).endpoints, atPath: "policy")
    v1.addRoutes(SchedulesController(dependencies: dependencies).endpoints, atPath: "schedules")
}
