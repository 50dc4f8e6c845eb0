import Hummingbird
import WarrenCore

/// `/v1/policy`: the stored retention policies (one for all nodes, one per node).
struct PolicyController {
    let dependencies: ServiceDependencies

    var endpoints: RouteCollection<WarrenRequestContext> {
        let routes = RouteCollection(context: WarrenRequestContext.self)
        routes.get(use: list)
        routes.put(use: set)
        return routes
    }

    @Sendable func list(_ request: Request, context: WarrenRequestContext) throws -> [StoredPolicy] {
        try PolicyStore(catalog: dependencies.repository.catalog).list()
    }

    @Sendable func set(_ request: Request, context: WarrenRequestContext) async throws -> StoredPolicy {
        let body = try await request.decode(as: PolicyBody.self, context: context)
        let policy = try body.rules.policy()
        guard !policy.isEmpty else { throw APIError.badRequest("empty_policy", "give at least one keep_* field") }
        if let node = body.node { try BackupNaming.validate(node: node, label: nil) }
        return try PolicyStore(repository: dependencies.repository).set(policy, node: body.node)
    }
}
