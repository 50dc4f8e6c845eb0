import Foundation
import Hummingbird
import NIOCore
import WarrenCore

/// `/v1/health`, `/v1/metrics`, `/v1/openapi.json`.
struct SystemController {
    let dependencies: ServiceDependencies

    struct Health: ResponseEncodable {
        var status = "ok"
        var repository: String
        var pid: Int32
        var backups: Int
        var jobsRunning: Int
        var jobsWaiting: Int
    }

    var endpoints: RouteCollection<WarrenRequestContext> {
        let routes = RouteCollection(context: WarrenRequestContext.self)
        routes.get("health", use: health)
        routes.get("metrics", use: metrics)
        routes.get("openapi.json", use: openAPI)
        return routes
    }

    @Sendable func health(_ request: Request, context: WarrenRequestContext) throws -> Health {
        let jobs = dependencies.jobs.all
        return Health(repository: dependencies.repository.location, pid: getpid(), backups: try dependencies.queries.count(),
                      jobsRunning: jobs.filter { $0.currentState == .running }.count,
                      jobsWaiting: jobs.filter { $0.currentState == .waiting }.count)
    }

    @Sendable func metrics(_ request: Request, context: WarrenRequestContext) throws -> Response {
        let text = try dependencies.metrics.render(repository: dependencies.repository, jobs: dependencies.jobs)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func openAPI(_ request: Request, context: WarrenRequestContext) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
    }
}
