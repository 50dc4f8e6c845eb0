import HTTPTypes
import Hummingbird
import WarrenCore

/// `/v1/backups…`: history, one backup, its queues; backup and verify jobs.
struct BackupsController {
    let dependencies: ServiceDependencies

    var endpoints: RouteCollection<WarrenRequestContext> {
        let routes = RouteCollection(context: WarrenRequestContext.self)
        routes.get(use: list)
        routes.post(use: create)
        routes.get("{id}", use: show)
        routes.get("{id}/queues", use: queues)
        routes.post("{id}/verify", use: verify)
        return routes
    }

    static let nextCursor = HTTPField.Name("Warren-Next-Cursor")!

    @Sendable func list(_ request: Request, context: WarrenRequestContext) throws -> Answer<[BackupSummary]> {
        let page = try dependencies.queries.page(try Self.filter(request.uri.queryParameters))
        var headers = HTTPFields()
        if let next = page.nextCursor { headers[Self.nextCursor] = next.token }
        return Answer(value: page.backups, headers: headers)
    }

    static func filter(_ query: Parameters) throws -> BackupFilter {
        let known: Set<String> = ["node", "since", "until", "verdict", "limit", "cursor"]
        if let unknown = query.map({ String($0.key) }).first(where: { !known.contains($0) }) {
            throw APIError.badRequest("unknown_parameter", "unknown query parameter '\(unknown.prefix(64))'")
        }
        var filter = BackupFilter()
        filter.node = query["node"].map(String.init)
        filter.since = try Params.timestamp(query["since"].map(String.init), name: "since")
        filter.until = try Params.timestamp(query["until"].map(String.init), name: "until")
        if let verdict = query["verdict"].map(String.init) {
            guard BackupFilter.verdicts.contains(verdict) else {
                throw APIError.badRequest("invalid_value", "verdict must be one of \(BackupFilter.verdicts.sorted().joined(separator: ", "))")
            }
            filter.verdict = verdict
        }
        if let limit = query["limit"].map(String.init) {
            guard let n = Int(limit), n >= 1, n <= BackupFilter.maximumLimit else {
                throw APIError.badRequest("invalid_value", "limit must be an integer from 1 to \(BackupFilter.maximumLimit)")
            }
            filter.limit = n
        }
        if let cursor = query["cursor"].map(String.init) {
            guard let parsed = BackupCursor(token: cursor) else {
                throw APIError.badRequest("invalid_cursor", "cursor is not one this service returned")
            }
            filter.cursor = parsed
        }
        return filter
    }

    @Sendable func show(_ request: Request, context: WarrenRequestContext) throws -> BackupDetail {
        try dependencies.queries.detail(id: try Params.id(context))
    }

    @Sendable func queues(_ request: Request, context: WarrenRequestContext) throws -> [BackupDetail.Queue] {
        try dependencies.queries.detail(id: try Params.id(context)).queues
    }

    @Sendable func create(_ request: Request, context: WarrenRequestContext) async throws -> Answer<JobView> {
        let body = try await request.decode(as: BackupBody.self, context: context)
        let backup = body.request(rabbitmqctl: dependencies.rabbitmqctl)
        try BackupRunner.validate(backup)
        try dependencies.refuseIfLockedElsewhere()
        let dependencies = self.dependencies
        let job = try dependencies.jobs.submit(kind: .backup, needsLock: true, node: backup.node, conflictKey: "node:" + backup.node,
                                               request: try JobManager.encoded(body), cancellable: true) { job in
            let id = try dependencies.backupRunner(for: job).run(backup, progress: { job.report($0) })
            // The same object as `backup --json`: the summary and what stop_app dropped.
            return try JobManager.encoded(try BackupOutcome.load(id: id, catalog: dependencies.repository.catalog))
        }
        return .accepted(job)
    }

    @Sendable func verify(_ request: Request, context: WarrenRequestContext) async throws -> Answer<JobView> {
        let id = try Params.id(context)
        let body = try await request.decode(as: VerifyBody.self, context: context)
        let options = body.options
        let verifier = Verifier(repository: dependencies.repository)
        try verifier.validate(id: id, options: options)  // 404 or 400 now, not in the job
        var echo = try JobManager.encoded(body)
        if case var .object(members) = echo {
            members["backup_id"] = .integer(id)
            echo = .object(members)
        }
        let job = try dependencies.jobs.submit(kind: .verify, needsLock: false, node: nil, conflictKey: nil, request: echo, cancellable: false) { job in
            try JobManager.encoded(VerifyOutput(try verifier.verify(id: id, options: options, progress: { job.report($0) })))
        }
        return .accepted(job)
    }
}
