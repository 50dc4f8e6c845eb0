import Foundation
import Hummingbird
import WarrenCore

/// `/v1/restores/{node}/resume` and `/rollback`: the API face of `warren restore --resume`
/// and `--rollback` for the restore journal a dead process left for a node. Both run as
/// jobs under the write lock, with a broker guard before `stop_app`, and answer the CLI's
/// `--json` shapes (``RestoreResult``, ``RestoreRollback``).
struct RestoreRecoveryController {
    let dependencies: ServiceDependencies

    var endpoints: RouteCollection<WarrenRequestContext> {
        let routes = RouteCollection(context: WarrenRequestContext.self)
        routes.post("resume", use: resume)
        routes.post("rollback", use: rollback)
        return routes
    }

    @Sendable func resume(_ request: Request, context: WarrenRequestContext) async throws -> Answer<JobView> {
        let body = try await request.decode(as: RestoreResumeBody.self, context: context)
        let dryRun = body.dryRun ?? false
        guard dryRun || body.confirm == true else {
            throw APIError.badRequest("confirm_required", "a resume writes the node's data again: send \"confirm\": true, or \"dry_run\": true for the plan")
        }
        let node = try journaledNode(context)
        if !dryRun { try dependencies.refuseIfLockedElsewhere() }
        let dependencies = self.dependencies
        let job = try dependencies.jobs.submit(kind: .restoreResume, needsLock: !dryRun, node: node,
                                               conflictKey: dryRun ? nil : "node:" + node,
                                               request: try JobManager.encoded(body), cancellable: true) { job in
            var resume = try RestoreRecovery(repository: dependencies.repository)
                .resumeRequest(node: node, rabbitmqctl: dependencies.rabbitmqctl, timeouts: .defaults)
            resume.dryRun = dryRun
            return try JobManager.encoded(try dependencies.restoreRunner(for: job).run(resume, progress: { job.report($0) }))
        }
        return .accepted(job)
    }

    @Sendable func rollback(_ request: Request, context: WarrenRequestContext) async throws -> Answer<JobView> {
        let body = try await request.decode(as: RestoreRollbackBody.self, context: context)
        guard body.confirm == true else {
            throw APIError.badRequest("confirm_required", "a rollback stops the broker app and moves vhost directories: send \"confirm\": true")
        }
        let node = try journaledNode(context)
        try dependencies.refuseIfLockedElsewhere()
        let dependencies = self.dependencies
        let job = try dependencies.jobs.submit(kind: .restoreRollback, needsLock: true, node: node, conflictKey: "node:" + node,
                                               request: try JobManager.encoded(body), cancellable: false) { _ in
            try JobManager.encoded(try RestoreRecovery(repository: dependencies.repository).rollback(
                node: node, rabbitmqctl: dependencies.rabbitmqctl, timeouts: .defaults,
                guardLauncher: dependencies.guardLauncher, lockOptions: dependencies.lockOptions))
        }
        return .accepted(job)
    }

    /// The `{node}` path parameter (percent-decoded), which must have a journal: 404
    /// `no_interrupted_restore` otherwise, before any job is made.
    private func journaledNode(_ context: WarrenRequestContext) throws -> String {
        let raw = context.parameters.get("node") ?? ""
        let node = raw.removingPercentEncoding ?? raw
        try BackupNaming.validate(node: node, label: nil)
        guard try RestoreJournal.load(repository: dependencies.repository.path, node: node) != nil else {
            throw APIError(.notFound, "no_interrupted_restore",
                           "no interrupted restore of node \(node) is recorded in \(dependencies.repository.path)/journal: there is nothing to resume or roll back",
                           details: .object(["node": .string(node)]))
        }
        return node
    }
}
