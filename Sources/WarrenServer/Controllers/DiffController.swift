import Hummingbird
import WarrenCore

/// `/v1/diff?from=ID&to=ID`: what changed between two backups.
struct DiffController {
    let dependencies: ServiceDependencies

    var endpoints: RouteCollection<WarrenRequestContext> {
        let routes = RouteCollection(context: WarrenRequestContext.self)
        routes.get(use: diff)
        return routes
    }

    @Sendable func diff(_ request: Request, context: WarrenRequestContext) throws -> BackupDiff {
        let from = try Params.id(request.uri.queryParameters["from"].map(String.init), name: "from")
        let to = try Params.id(request.uri.queryParameters["to"].map(String.init), name: "to")
        return try DiffCalculator(catalog: dependencies.repository.catalog).diff(from: from, to: to)
    }
}
