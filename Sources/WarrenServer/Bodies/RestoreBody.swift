import WarrenCore

/// `POST /v1/restores`.
struct RestoreBody: APIRequestBody {
    static var requiresBody: Bool { true }
    /// The backup's id.
    var backup: Int64
    var node: String
    var dataDir: String?
    var excludeQueues: [String]?
    var excludeVhosts: [String]?
    var allowUnmatchedExclusions: Bool?
    var dryRun: Bool?
    var replaceVhostData: Bool?
    var confirm: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case backup, node, dataDir = "data_dir", excludeQueues = "exclude_queues", excludeVhosts = "exclude_vhosts"
        case allowUnmatchedExclusions = "allow_unmatched_exclusions", dryRun = "dry_run", replaceVhostData = "replace_vhost_data", confirm
    }

    func request(rabbitmqctl: String) -> RestoreRequest {
        RestoreRequest(
            backupID: backup, node: node, dataDirectory: dataDir,
            exclusions: Exclusions(queueGlobs: excludeQueues ?? [], vhosts: excludeVhosts ?? [], allowUnmatched: allowUnmatchedExclusions ?? false),
            dryRun: dryRun ?? false, replaceVhostData: replaceVhostData ?? false, rabbitmqctl: rabbitmqctl)
    }
}
