import WarrenCore

/// `POST /v1/backups/{id}/verify` (an empty body is a plain verify).
struct VerifyBody: APIRequestBody {
    var full: Bool?
    var targetVersion: String?
    var excludeQueues: [String]?
    var excludeVhosts: [String]?
    var allowUnmatchedExclusions: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case full, targetVersion = "target_version", excludeQueues = "exclude_queues", excludeVhosts = "exclude_vhosts"
        case allowUnmatchedExclusions = "allow_unmatched_exclusions"
    }

    var options: VerifyOptions {
        VerifyOptions(full: full ?? false, targetVersion: targetVersion, excludeQueues: excludeQueues ?? [], excludeVhosts: excludeVhosts ?? [],
                      allowUnmatchedExclusions: allowUnmatchedExclusions ?? false)
    }
}
