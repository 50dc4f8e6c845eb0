/// One key file as `warren key list` shows it (its metadata is plaintext: no password is
/// needed to list keys).
public struct KeyInfo: Sendable, Equatable, Encodable {
    /// The key file's name: the SHA-256 of its bytes.
    public var id: String
    /// The key that opened the repository in this process.
    public var current: Bool
    public var createdAt: String? = nil
    public var host: String? = nil
    public var user: String? = nil
    /// e.g. `scrypt N=32768 r=8 p=1`.
    public var kdf: String? = nil
    public var algorithm: String? = nil
    public var keyFingerprint: String? = nil
    /// Why the key file is unusable; nil when it is well-formed.
    public var problem: String? = nil

    /// The first 12 hex digits, for tables.
    public var shortID: String { String(id.prefix(12)) }

    enum CodingKeys: String, CodingKey {
        case id, current, host, user, kdf, algorithm, problem
        case createdAt = "created_at"
        case keyFingerprint = "key_fingerprint"
    }
}
