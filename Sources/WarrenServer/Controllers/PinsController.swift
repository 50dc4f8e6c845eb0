import Hummingbird
import WarrenCore

/// `/v1/backups/{id}/pin`: keep a backup whatever the retention policy says.
struct PinsController {
    let dependencies: ServiceDependencies

    var endpoints: RouteCollection<WarrenRequestContext> {
        let routes = RouteCollection(context: WarrenRequestContext.self)
        routes.put(use: pin)
        routes.delete(use: unpin)
        return routes
    }

    @Sendable func pin(_ request: Request, context: WarrenRequestContext) async throws -> BackupSummary {
        let id = try Params.id(context)
        let body = try await request.decode(as: PinBody.self, context: context)
        return try Pinning(repository: dependencies.repository).pin(id: id, note: body.note)
    }

    @Sendable func unpin(_ request: Request, context: WarrenRequestContext) throws -> BackupSummary {
        try Pinning(repository: dependencies.repository).unpin(id: try Params.id(context)).summary
    }
}
