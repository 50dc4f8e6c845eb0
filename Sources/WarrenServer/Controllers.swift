import Foundation
import HTTPTypes
import Hummingbird
import WarrenCore

/// What every controller works on.
public struct ServiceContext: Sendable {
    public let repository: Repository
    public let jobs: JobManager
    public let metrics: ServiceMetrics
    /// rabbitmqctl for backup and restore jobs (tests point it at a wrapper).
    public var rabbitmqctl: String
    /// How long a job waits for an outside holder of the repository lock.
    public var lockTimeout: Double

    public init(repository: Repository, jobs: JobManager, metrics: ServiceMetrics = ServiceMetrics(),
                rabbitmqctl: String = "rabbitmqctl", lockTimeout: Double = 2) {
        self.repository = repository
        self.jobs = jobs
        self.metrics = metrics
        self.rabbitmqctl = rabbitmqctl
        self.lockTimeout = lockTimeout
    }

    var queries: CatalogQueries { CatalogQueries(catalog: repository.catalog) }

    var lockOptions: RepositoryLock.Options { RepositoryLock.Options(timeout: lockTimeout) }

    /// 409 at once when a process other than this service holds the write lock.
    func refuseIfLockedElsewhere() throws {
        if let holder = RepositoryLock.currentHolder(repository: repository), holder.pid != getpid() || holder.host != LockHolder.hostName {
            throw APIError(WarrenError.lockHeld(path: repository.path, holder: holder, waited: 0))
        }
    }
}

/// `/v1/health`, `/v1/diff`, `/v1/metrics`, `/v1/openapi.json`.
struct SystemController {
    let service: ServiceContext

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.get("health") { _, _ in
            struct Health: Encodable {
                var status = "ok"
                var repository: String
                var pid: Int32
                var backups: Int
                var jobsRunning: Int
                var jobsWaiting: Int
            }
            let jobs = service.jobs.all
            let count = try service.queries.count()
            return JSONResponse.make(Health(
                repository: service.repository.path, pid: getpid(), backups: count,
                jobsRunning: jobs.filter { $0.currentState == .running }.count,
                jobsWaiting: jobs.filter { $0.currentState == .waiting }.count))
        }
        group.get("diff") { request, _ in
            let from = try Params.id(request.uri.queryParameters["from"].map(String.init), name: "from")
            let to = try Params.id(request.uri.queryParameters["to"].map(String.init), name: "to")
            return JSONResponse.make(try DiffCalculator(catalog: service.repository.catalog).diff(from: from, to: to))
        }
        group.get("metrics") { _, _ in
            let text = try service.metrics.render(repository: service.repository, jobs: service.jobs)
            return JSONResponse.raw(Data(text.utf8), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        group.get("openapi.json") { _, _ in
            JSONResponse.raw(Data(OpenAPIDocument.json.utf8))
        }
    }
}

/// `/v1/backups…`: history, one backup, its queues, pins; backup and verify jobs.
struct BackupsController {
    let service: ServiceContext

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.get("backups") { request, _ in
            let query = request.uri.queryParameters
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
            let page = try service.queries.page(filter)
            var headers = HTTPFields()
            if let next = page.nextCursor { headers[HTTPField.Name("Warren-Next-Cursor")!] = next.token }
            return JSONResponse.make(page.backups, headers: headers)
        }
        group.get("backups/{id}") { _, context in
            let id = try Params.id(context.parameters.get("id"))
            return JSONResponse.make(try service.queries.detail(id: id))
        }
        group.get("backups/{id}/queues") { _, context in
            let id = try Params.id(context.parameters.get("id"))
            return JSONResponse.make(try service.queries.detail(id: id).queues)
        }
        group.put("backups/{id}/pin") { request, context in
            let id = try Params.id(context.parameters.get("id"))
            var request = request
            let fields = Fields(members: try await RequestBody.object(&request, allowed: ["note"]))
            return JSONResponse.make(try Pinning(catalog: service.repository.catalog).pin(id: id, note: try fields.string("note")))
        }
        group.delete("backups/{id}/pin") { _, context in
            let id = try Params.id(context.parameters.get("id"))
            return JSONResponse.make(try Pinning(catalog: service.repository.catalog).unpin(id: id).summary)
        }
        group.post("backups") { request, _ in
            var request = request
            let members = try await RequestBody.object(&request, allowed: ["node", "data_dir", "stop_app", "label", "rehash"], allowEmpty: false)
            let fields = Fields(members: members)
            let node = try fields.requiredString("node")
            let backup = BackupRequest(
                node: node, dataDirectory: try fields.string("data_dir"), stopApp: try fields.bool("stop_app") ?? false,
                label: try fields.string("label"), rehash: try fields.bool("rehash") ?? false, rabbitmqctl: service.rabbitmqctl)
            try BackupNaming.validate(node: backup.node, label: backup.label)
            try service.refuseIfLockedElsewhere()
            let job = try service.jobs.submit(kind: "backup", needsLock: true, conflictKey: "node:" + node, request: .object(members), cancellable: true) { job in
                let runner = BackupRunner(repository: service.repository, checkInterrupted: { try job.checkInterrupted() }, lockOptions: service.lockOptions)
                let id = try runner.run(backup, progress: { job.report($0) })
                return try JobManager.encoded(try service.queries.summary(id: id))
            }
            return JSONResponse.make(job.view, status: .accepted, headers: [.location: "/v1/jobs/\(job.id)"])
        }
        group.post("backups/{id}/verify") { request, context in
            let id = try Params.id(context.parameters.get("id"))
            var request = request
            let members = try await RequestBody.object(&request, allowed: ["full", "target_version", "exclude_queues", "exclude_vhosts", "allow_unmatched_exclusions"])
            let fields = Fields(members: members)
            let options = VerifyOptions(full: try fields.bool("full") ?? false, targetVersion: try fields.string("target_version"),
                                        excludeQueues: try fields.strings("exclude_queues"), excludeVhosts: try fields.strings("exclude_vhosts"),
                                        allowUnmatchedExclusions: try fields.bool("allow_unmatched_exclusions") ?? false)
            _ = try service.queries.summary(id: id)  // 404 now, not in the job
            _ = try ExclusionCheck.check(options.exclusions, backup: id, catalog: service.repository.catalog)  // 400 now, not in the job
            var echo = members
            echo["backup"] = .integer(id)
            let job = try service.jobs.submit(kind: "verify", needsLock: false, conflictKey: nil, request: .object(echo), cancellable: false) { job in
                let report = try Verifier(repository: service.repository).verify(id: id, options: options, progress: { job.report($0) })
                return try JobManager.encoded(VerifyOutput(report))
            }
            return JSONResponse.make(job.view, status: .accepted, headers: [.location: "/v1/jobs/\(job.id)"])
        }
    }
}

/// `POST /v1/restores`, `POST /v1/prune`, `/v1/jobs…`.
struct JobsController {
    let service: ServiceContext

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.post("restores") { request, _ in
            var request = request
            let members = try await RequestBody.object(&request, allowed: [
                "backup", "node", "data_dir", "exclude_queues", "exclude_vhosts", "allow_unmatched_exclusions", "dry_run", "replace_vhost_data", "confirm",
            ], allowEmpty: false)
            let fields = Fields(members: members)
            guard let backupID = try fields.int("backup") else {
                throw APIError.badRequest("missing_field", "field 'backup' (the backup id) is required", details: .object(["field": .string("backup")]))
            }
            let node = try fields.requiredString("node")
            let dryRun = try fields.bool("dry_run") ?? false
            let confirmed = try fields.bool("confirm") == true
            guard dryRun || confirmed else {
                throw APIError.badRequest("confirm_required", "a restore replaces the node's data: send \"confirm\": true, or \"dry_run\": true for the plan")
            }
            let restore = RestoreRequest(
                backupID: backupID, node: node, dataDirectory: try fields.string("data_dir"),
                exclusions: Exclusions(queueGlobs: try fields.strings("exclude_queues"), vhosts: try fields.strings("exclude_vhosts"),
                                       allowUnmatched: try fields.bool("allow_unmatched_exclusions") ?? false),
                dryRun: dryRun, replaceVhostData: try fields.bool("replace_vhost_data") ?? false, rabbitmqctl: service.rabbitmqctl)
            try BackupNaming.validate(node: node, label: nil)
            _ = try service.queries.summary(id: backupID)
            _ = try ExclusionCheck.check(restore.exclusions, backup: backupID, catalog: service.repository.catalog)
            if !dryRun { try service.refuseIfLockedElsewhere() }
            let job = try service.jobs.submit(kind: "restore", needsLock: !dryRun, conflictKey: dryRun ? nil : "node:" + node,
                                              request: .object(members), cancellable: true) { job in
                let runner = RestoreRunner(repository: service.repository, checkInterrupted: { try job.checkInterrupted() }, lockOptions: service.lockOptions)
                return try JobManager.encoded(try runner.run(restore, progress: { job.report($0) }))
            }
            return JSONResponse.make(job.view, status: .accepted, headers: [.location: "/v1/jobs/\(job.id)"])
        }
        group.post("prune") { request, _ in
            var request = request
            let members = try await RequestBody.object(&request, allowed: Set(["node", "dry_run"]).union(PolicyController.keepFields))
            let fields = Fields(members: members)
            let policy = try PolicyController.policy(fields)
            let dryRun = try fields.bool("dry_run") ?? false
            let prune = PruneRequest(policy: policy.isEmpty ? nil : policy, node: try fields.string("node"), dryRun: dryRun)
            if !dryRun { try service.refuseIfLockedElsewhere() }
            let job = try service.jobs.submit(kind: "prune", needsLock: !dryRun, conflictKey: dryRun ? nil : "prune",
                                              request: .object(members), cancellable: false) { _ in
                if dryRun { return try JobManager.encoded(try Pruner.dryRun(prune, in: service.repository)) }
                var pruner = Pruner(repository: service.repository)
                pruner.lockOptions = service.lockOptions
                return try JobManager.encoded(try pruner.prune(prune))
            }
            return JSONResponse.make(job.view, status: .accepted, headers: [.location: "/v1/jobs/\(job.id)"])
        }
        group.get("jobs") { _, _ in
            JSONResponse.make(service.jobs.all.map(\.view))
        }
        group.get("jobs/{id}") { _, context in
            let id = try Params.id(context.parameters.get("id"))
            guard let job = service.jobs.job(id) else { throw APIError(.notFound, "job_not_found", "no job with id \(id)") }
            return JSONResponse.make(job.view)
        }
        // Cancelling is a state change of a job that still exists (a running backup goes on
        // reporting until it stops at its next file), so it is a POST on the job, not a DELETE.
        group.post("jobs/{id}/cancel") { _, context in
            let id = try Params.id(context.parameters.get("id"))
            guard let job = service.jobs.job(id) else { throw APIError(.notFound, "job_not_found", "no job with id \(id)") }
            switch job.cancel() {
            case .cancelled, .requested: return JSONResponse.make(job.view, status: .accepted)
            case .finished: throw APIError(.conflict, "job_finished", "job \(id) has already finished (\(job.currentState.rawValue))")
            case .notCancellable: throw APIError(.conflict, "not_cancellable", "a running \(job.kind) job cannot be stopped; it ends on its own")
            }
        }
        // DELETE removes a finished job from the list: afterwards GET /v1/jobs/{id} is 404.
        group.delete("jobs/{id}") { _, context in
            let id = try Params.id(context.parameters.get("id"))
            guard let job = service.jobs.job(id) else { throw APIError(.notFound, "job_not_found", "no job with id \(id)") }
            guard service.jobs.remove(finished: id) else {
                throw APIError(.conflict, "job_not_finished",
                               "job \(id) is \(job.currentState.rawValue); cancel it first with POST /v1/jobs/\(id)/cancel, then delete it once it has finished",
                               details: .object(["state": .string(job.currentState.rawValue)]))
            }
            return Response(status: .noContent)
        }
    }
}

/// `/v1/policy`.
struct PolicyController {
    let service: ServiceContext

    static let keepFields: Set<String> = ["keep_last", "keep_hourly", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly", "keep_within"]

    static func policy(_ fields: Fields) throws -> RetentionPolicy {
        func count(_ name: String) throws -> Int? {
            guard let n = try fields.int(name) else { return nil }
            guard n <= 1_000_000 else { throw APIError.badRequest("invalid_value", "field '\(name)' is too large") }
            return Int(n)
        }
        var within: RetentionDuration?
        if let text = try fields.string("keep_within") {
            guard let parsed = RetentionDuration(text) else {
                throw APIError.badRequest("invalid_value", "keep_within '\(text.prefix(64))' is not a duration such as 14d, 36h, 2w or 1y6m")
            }
            within = parsed
        }
        return RetentionPolicy(
            keepLast: try count("keep_last"), keepHourly: try count("keep_hourly"), keepDaily: try count("keep_daily"),
            keepWeekly: try count("keep_weekly"), keepMonthly: try count("keep_monthly"), keepYearly: try count("keep_yearly"),
            keepWithin: within)
    }

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.get("schedules") { _, _ in
            JSONResponse.make(try ScheduleStore(catalog: service.repository.catalog).list())
        }
        group.get("policy") { _, _ in
            JSONResponse.make(try PolicyStore(catalog: service.repository.catalog).list())
        }
        group.put("policy") { request, _ in
            var request = request
            let fields = Fields(members: try await RequestBody.object(&request, allowed: Set(["node"]).union(Self.keepFields), allowEmpty: false))
            let policy = try Self.policy(fields)
            guard !policy.isEmpty else { throw APIError.badRequest("empty_policy", "give at least one keep_* field") }
            let node = try fields.string("node")
            if let node { try BackupNaming.validate(node: node, label: nil) }
            return JSONResponse.make(try PolicyStore(catalog: service.repository.catalog).set(policy, node: node))
        }
    }
}
