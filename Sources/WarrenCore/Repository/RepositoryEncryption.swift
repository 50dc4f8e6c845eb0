/// Whether a repository's contents are encrypted, as its `config` records it (and as
/// `list`, `show` and `check` say it).
public enum RepositoryEncryption: String, Sendable, Codable, Equatable, CaseIterable, CustomStringConvertible {
    /// Objects and documents are sealed with AES-256-GCM under the repository's master key
    /// (held in `keys/`, each key file wrapping it under one password).
    case aes256GCM = "aes-256-gcm"
    /// Plaintext: created with `warren init --no-encryption`, or before encryption existed.
    case unencrypted = "none"

    public var description: String { rawValue }

    /// Whether a password is needed to open the repository.
    public var isEncrypted: Bool { self != .unencrypted }
}
