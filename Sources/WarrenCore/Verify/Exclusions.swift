#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--exclude-queue GLOB` (on the queue name, any vhost) and `--exclude-vhost NAME`,
/// shared by verify and restore so both leave out exactly the same data.
///
/// An exclusion that matches nothing in the backup is refused unless `allowUnmatched`
/// (`--allow-unmatched-exclusions`): a typo would otherwise replay exactly the queue the
/// operator meant to keep out (issue 12 §3).
public struct Exclusions: Sendable, Equatable {
    public var queueGlobs: [String]
    public var vhosts: [String]
    /// Go on when a glob or vhost matches nothing (reported as `exclusion_unmatched`).
    public var allowUnmatched: Bool

    public init(queueGlobs: [String] = [], vhosts: [String] = [], allowUnmatched: Bool = false) {
        self.queueGlobs = queueGlobs
        self.vhosts = vhosts
        self.allowUnmatched = allowUnmatched
    }

    public var isEmpty: Bool { queueGlobs.isEmpty && vhosts.isEmpty }

    public func excludes(vhost: String?) -> Bool {
        guard let vhost else { return false }
        return vhosts.contains(vhost)
    }

    /// The glob that excludes this queue, if any.
    public func glob(excluding queue: String?) -> String? {
        guard let queue else { return nil }
        return queueGlobs.first { fnmatch($0, queue, 0) == 0 }
    }

    /// The globs and vhosts that match none of the given names (the backup's queues and
    /// vhosts, defined or stored), in the order given.
    public func unmatched(queueNames: Set<String>, vhostNames: Set<String>) -> (queueGlobs: [String], vhosts: [String]) {
        (queueGlobs.filter { glob in !queueNames.contains { fnmatch(glob, $0, 0) == 0 } },
         vhosts.filter { !vhostNames.contains($0) })
    }
}
