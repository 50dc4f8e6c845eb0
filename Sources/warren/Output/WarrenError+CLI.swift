import Foundation
import WarrenCore

/// The CLI's wording of core errors: core errors name domain fields (`node`, `keep_last`),
/// the CLI names its options (`--node`, `--keep-last`) and its own remedies.
extension WarrenError {
    /// The option a domain field is given with.
    static func option(for field: String) -> String {
        if field.hasPrefix("-") { return field }
        switch field {
        case "exclude_queues": return "--exclude-queue"
        case "exclude_vhosts": return "--exclude-vhost"
        default: return "--" + field.replacingOccurrences(of: "_", with: "-")
        }
    }

    /// What the CLI prints on stderr and in its `--json` error object.
    var cliMessage: String {
        switch self {
        case let .invalidArgument(name, reason):
            return "\(Self.option(for: name)): \(reason)"
        case let .lockHeld(_, _, waited):
            return description + (waited > 0 ? ", or retry with a longer --lock-timeout SECONDS" : ", or retry with --lock-timeout SECONDS to wait for it")
        case let .rebuildRefused(path, reason):
            return "catalog rebuild refused, nothing was changed: \(path) \(reason); pass --force to replace it, or --output FILE to rebuild into another file"
        case let .unmatchedExclusions(unmatched):
            return unmatched.message(
                queueOption: "--exclude-queue", vhostOption: "--exclude-vhost", allowHint: "pass --allow-unmatched-exclusions")
        default:
            return description
        }
    }
}
