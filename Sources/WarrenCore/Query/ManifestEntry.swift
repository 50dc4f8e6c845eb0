import Foundation
import GRDB

/// One file of a backup's `msg_stores/` manifest, as `warren ls` shows it.
public struct ManifestEntry: Sendable, Codable, Equatable, FetchableRecord {
    /// Relative to `msg_stores/`, `/`-separated.
    public var path: String
    public var size: Int64
    /// The content's SHA-256, lowercase hex: its object in the repository.
    public var sha256: String
    /// The file's kind as the scanner classified it (index segment, journal, message store file, ...).
    public var kind: String
    /// The vhost and queue the file belongs to, from `.vhost` / `.queue_name`; `null` when it
    /// belongs to none (or the name file was missing).
    public var vhost: String?
    public var queue: String?

    public init(row: Row) throws {
        path = row["path"]
        size = row["size"]
        let digest: Data = row["sha256"]
        sha256 = ObjectID(bytes: Array(digest))?.hex ?? ""
        kind = row["kind"]
        vhost = row["vhost"]
        queue = row["queue"]
    }

    private enum CodingKeys: String, CodingKey { case path, size, sha256, kind, vhost, queue }

    /// Every key is present in JSON (`vhost` and `queue` are `null` when unset).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(size, forKey: .size)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(kind, forKey: .kind)
        try c.encode(vhost, forKey: .vhost)
        try c.encode(queue, forKey: .queue)
    }
}
