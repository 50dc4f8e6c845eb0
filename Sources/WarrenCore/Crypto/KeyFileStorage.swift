import Foundation

/// Where a repository's key files live. Key files are small, written once under a new name
/// and never changed, and removed by name. The local directory is ``KeyDirectory``; the
/// repository's storage protocol (local or S3) provides the same four operations.
public protocol KeyFileStorage: Sendable {
    /// Where the key files are, for messages (a path or a URL).
    var location: String { get }
    /// The names of the key files present (never temporary files), sorted.
    func names() throws -> [String]
    /// The bytes of one key file.
    func read(_ name: String) throws -> Data
    /// Stores a new key file atomically: afterwards it is there whole, or not at all.
    /// Fails if `name` exists.
    func create(_ name: String, contents: Data) throws
    /// Removes a key file, durably.
    func remove(_ name: String) throws
}
