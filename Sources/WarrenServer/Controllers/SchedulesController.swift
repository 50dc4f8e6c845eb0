import Hummingbird
import WarrenCore

/// `/v1/schedules`: the schedules the service runs.
struct SchedulesController {
    let dependencies: ServiceDependencies

    var endpoints: RouteCollection<WarrenRequestContext> {
        let routes = RouteCollection(context: WarrenRequestContext.self)
        routes.get(use: list)
        return routes
    }

    @Sendable func list(_ request: Request, context: WarrenRequestContext) throws -> [Schedule] {
        try ScheduleStore(catalog: dependencies.repository.catalog).list()
    }
}
