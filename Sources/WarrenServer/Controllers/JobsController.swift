import Hummingbird
import WarrenCore

/// `/v1/jobs…`: the jobs the other resources started.
struct JobsController {
    let dependencies: ServiceDependencies

    var endpoints: RouteCollection<WarrenRequestContext> {
        let routes = RouteCollection(context: WarrenRequestContext.self)
        routes.get(use: list)
        routes.get("{id}", use: show)
        routes.delete("{id}", use: delete)
        routes.post("{id}/cancel", use: cancel)
        return routes
    }

    @Sendable func list(_ request: Request, context: WarrenRequestContext) -> [JobView] {
        dependencies.jobs.all.map(\.view)
    }

    private func job(_ context: WarrenRequestContext) throws -> Job {
        let id = try Params.id(context)
        guard let job = dependencies.jobs.job(id) else { throw APIError(.notFound, "job_not_found", "no job with id \(id)", details: .object(["id": .integer(id)])) }
        return job
    }

    @Sendable func show(_ request: Request, context: WarrenRequestContext) throws -> JobView {
        try job(context).view
    }

    /// Cancelling is a state change of a job that still exists (a running backup goes on
    /// reporting until it stops at its next file), so it is a POST on the job, not a DELETE.
    @Sendable func cancel(_ request: Request, context: WarrenRequestContext) throws -> Answer<JobView> {
        let job = try job(context)
        switch job.cancel() {
        case .cancelled, .requested: return Answer(value: job.view, status: .accepted)
        case .finished: throw APIError(.conflict, "job_finished", "job \(job.id) has already finished (\(job.currentState.rawValue))")
        case .notCancellable: throw APIError(.conflict, "not_cancellable", "a running \(job.kind.rawValue) job cannot be stopped; it ends on its own")
        }
    }

    /// DELETE removes a finished job from the list: afterwards GET /v1/jobs/{id} is 404.
    @Sendable func delete(_ request: Request, context: WarrenRequestContext) throws -> Response {
        let job = try job(context)
        guard dependencies.jobs.remove(finished: job.id) else {
            throw APIError(.conflict, "job_not_finished",
                           "job \(job.id) is \(job.currentState.rawValue); cancel it first with POST /v1/jobs/\(job.id)/cancel, then delete it once it has finished",
                           details: .object(["state": .string(job.currentState.rawValue)]))
        }
        return Response(status: .noContent)
    }
}
