/// Stable codes of `verify` findings. Each is documented in the README with its meaning and
/// its fix; never rename one.
public enum FindingCode: String, Sendable, Codable, CaseIterable {
    // The backup itself
    case backupIncomplete = "backup_incomplete"
    // Definitions
    case definitionsMissing = "definitions_missing"
    case definitionsCorrupt = "definitions_corrupt"
    case definitionsUnparseable = "definitions_unparseable"
    // Stored vhosts
    case vhostNotDefined = "vhost_not_defined"
    case vhostDirMismatch = "vhost_dir_mismatch"
    case vhostNameMissing = "vhost_name_missing"
    // Stored queues
    case queueNotDefined = "queue_not_defined"
    case queueNotDurable = "queue_not_durable"
    case queueNotClassic = "queue_not_classic"
    case queueDirMismatch = "queue_dir_mismatch"
    case queueNameMissing = "queue_name_missing"
    case queueVhostMismatch = "queue_vhost_mismatch"
    case queuePriorityNotDefined = "queue_priority_not_defined"
    // Queue index against the manifest (offline accounting)
    case indexUnreadable = "index_unreadable"
    case indexQueueStoreMissing = "index_qs_missing"
    case indexSharedStoreMissing = "index_rdq_missing"
    // Paths from the catalog that would leave the target directory
    case unsafePath = "unsafe_path"
    // Integrity
    case objectMissing = "object_missing"
    case objectSizeMismatch = "object_size_mismatch"
    case objectCorrupt = "object_corrupt"
    // The backup's manifest in the repository (issue 17): what a catalog rebuild reads
    case manifestMissing = "manifest_missing"
    case manifestDamaged = "manifest_damaged"
    case manifestMismatch = "manifest_mismatch"
    // Warnings
    case quorumNotBackedUp = "quorum_queue_data_not_backed_up"
    case streamNotBackedUp = "stream_data_not_backed_up"
    case liveCopy = "live_copy"
    case transientContent = "transient_store_content"
    case passwordHashes = "password_hashes_present"
    // What stop_app dropped on the source, and what export_definitions left out (issue 16)
    case messagesNotBackedUp = "messages_not_backed_up"
    case exchangeNotDurable = "exchange_not_durable"
    case transientUnknown = "transient_messages_unknown"
    case bindingExchangeMissing = "binding_exchange_missing"
    case internalExchangeAdded = "internal_exchange_added"
    // Target compatibility
    case targetOlder = "target_older_than_source"
    case cqv1Unsupported = "cqv1_unsupported_on_target"
    case cqv1Converted = "cqv1_converted_on_target"
    /// A target vhost's default_queue_type would turn classic queues without x-queue-type into another type.
    case defaultQueueTypeChanges = "target_default_queue_type"
    /// A policy with ha-* keys against RabbitMQ 4.x (classic mirroring removed; import refused).
    case mirroringPolicyRemoved = "ha_policy_unsupported_on_target"
    /// A queue with x-ha-* arguments against RabbitMQ 4.x (accepted and ignored).
    case mirroringArgumentIgnored = "ha_argument_ignored_on_target"
    case targetVersionUnknown = "source_version_unknown"
    // Exclusions
    case queueExcluded = "queue_excluded"
    case vhostExcluded = "vhost_excluded"
    case exclusionUnmatched = "exclusion_unmatched"

    public var severity: Finding.Severity {
        switch self {
        case .quorumNotBackedUp, .streamNotBackedUp, .liveCopy, .transientContent, .passwordHashes, .targetVersionUnknown,
             .manifestMissing, .manifestDamaged, .manifestMismatch,
             .messagesNotBackedUp, .exchangeNotDurable, .queueNotDurable, .defaultQueueTypeChanges, .mirroringPolicyRemoved:
            return .warning
        case .cqv1Converted, .queueExcluded, .vhostExcluded, .exclusionUnmatched, .transientUnknown, .internalExchangeAdded,
             .mirroringArgumentIgnored:
            return .info
        default:
            return .error
        }
    }
}
