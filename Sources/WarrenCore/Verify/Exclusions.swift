#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--exclude-queue GLOB` (on the queue name, any vhost) and `--exclude-vhost NAME`,
/// shared by verify and restore so both leave out exactly the same data.
public struct Exclusions: Sendable, Equatable {
    public var queueGlobs: [String]
    public var vhosts: [String]

    public init(queueGlobs: [String] = [], vhosts: [String] = []) {
        self.queueGlobs = queueGlobs
        self.vhosts = vhosts
    }

    public func excludes(vhost: String?) -> Bool {
        guard let vhost else { return false }
        return vhosts.contains(vhost)
    }

    /// The glob that excludes this queue, if any.
    public func glob(excluding queue: String?) -> String? {
        guard let queue else { return nil }
        return queueGlobs.first { fnmatch($0, queue, 0) == 0 }
    }
}
