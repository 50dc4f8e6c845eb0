/// How `warren init` protects a new repository.
public enum EncryptionSetup: Sendable {
    /// Plaintext (`--no-encryption`).
    case none
    /// A fresh random master key, wrapped in a first key file by a key derived from
    /// `password` with scrypt (`parameters`).
    case password(Password, parameters: ScryptParameters)

    /// Encryption under `password` with the standard scrypt parameters.
    public static func password(_ password: Password) -> EncryptionSetup {
        .password(password, parameters: .standard)
    }

    var encryption: RepositoryEncryption {
        switch self {
        case .none: return .unencrypted
        case .password: return .aes256GCM
        }
    }
}
