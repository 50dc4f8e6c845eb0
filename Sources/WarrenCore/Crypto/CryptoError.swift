import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Why a password, a key or sealed data could not be used. Every case says what to do,
/// and maps to a stable exit code (reached through ``WarrenError/crypto(_:)``).
public enum CryptoError: Error, Sendable, Equatable {
    /// No --password-file, no WARREN_PASSWORD_FILE or WARREN_PASSWORD_COMMAND, and no terminal to ask on.
    case noPasswordSource
    /// `warren init` (encrypted by default) without --no-encryption, and no password source
    /// nor terminal; nothing was created.
    case newRepositoryPasswordRequired
    /// A password file and a password command were both given (restic refuses this too).
    case passwordSourcesConflict(file: String, command: String)
    /// The password file cannot be read.
    case passwordFileUnreadable(path: String, errno: Int32)
    /// The password file is not a regular file, or is too large to be a password.
    case passwordFileInvalid(path: String, reason: String)
    /// The password file can be read by every local user.
    case passwordFileExposed(path: String, mode: UInt32)
    /// The password command could not run, failed, or timed out.
    case passwordCommandFailed(command: String, detail: String)
    /// The password from `source` is empty.
    case emptyPassword(source: String)
    /// The two passwords typed at the prompt differ.
    case passwordsDiffer
    /// The prompt was cancelled (Ctrl-C or Ctrl-D).
    case promptCancelled
    /// No key file opens with this password. Deliberately says nothing about why.
    case wrongPassword(keyCount: Int)
    /// The repository is encrypted but holds no key file.
    case noKeys(location: String)
    /// A new key ring was asked for where key files already exist.
    case keyRingExists(location: String, count: Int)
    /// A key file is not a Warren key file, or is damaged.
    case keyFileInvalid(name: String, reason: String)
    /// A key file wraps the master key of another repository.
    case foreignKey(name: String, fingerprint: String, expected: String)
    /// No key has this id (or id prefix).
    case keyNotFound(id: String)
    /// An id prefix matches several keys.
    case keyIDAmbiguous(prefix: String, matches: [String])
    /// Removing the only key would make the repository unreadable for ever.
    case lastKey(id: String)
    /// The key that opened the repository in this process cannot remove itself.
    case keyInUse(id: String)
    /// scrypt parameters out of bounds (given by the operator, or read from a key file).
    case invalidScryptParameters(reason: String)
    /// scrypt could not run (out of memory).
    case keyDerivationFailed(parameters: String)
    /// An object or document failed to decrypt; nothing of it was used.
    case decryptionFailed(object: String, kind: SealedKind, failure: DecryptionFailure)
    /// `keys/` holds key files but the repository's `config` is gone: the repository is
    /// refused rather than taken for a plaintext one (which would then get plaintext written).
    case configMissing(location: String, keyCount: Int)
    /// The repository's `config` cannot be read.
    case configDamaged(location: String, reason: String)
    /// A key command on a repository made with `--no-encryption`.
    case notEncrypted(path: String)
    /// A new password is needed (`key add`, `key passwd`) and there is no way to get one.
    case newPasswordRequired

    public var exitCode: Int32 {
        switch self {
        case .passwordSourcesConflict, .invalidScryptParameters, .keyIDAmbiguous: return 64
        case .keyNotFound: return 3
        case .lastKey, .keyInUse: return 9
        case .promptCancelled: return 130
        case .decryptionFailed: return 11
        default: return 2
        }
    }

    /// A stable machine-readable code, used in JSON error bodies.
    public var code: String {
        switch self {
        case .noPasswordSource, .newRepositoryPasswordRequired: return "password_required"
        case .passwordSourcesConflict: return "password_sources_conflict"
        case .passwordFileUnreadable: return "password_file_unreadable"
        case .passwordFileInvalid: return "password_file_invalid"
        case .passwordFileExposed: return "password_file_exposed"
        case .passwordCommandFailed: return "password_command_failed"
        case .emptyPassword: return "empty_password"
        case .passwordsDiffer: return "passwords_differ"
        case .promptCancelled: return "prompt_cancelled"
        case .wrongPassword: return "wrong_password"
        case .noKeys: return "no_keys"
        case .keyRingExists: return "keys_exist"
        case .keyFileInvalid: return "key_file_invalid"
        case .foreignKey: return "foreign_key"
        case .keyNotFound: return "key_not_found"
        case .keyIDAmbiguous: return "key_id_ambiguous"
        case .lastKey: return "last_key"
        case .keyInUse: return "key_in_use"
        case .invalidScryptParameters: return "invalid_scrypt_parameters"
        case .keyDerivationFailed: return "key_derivation_failed"
        case .decryptionFailed: return "decryption_failed"
        case .configMissing: return "config_missing"
        case .configDamaged: return "config_damaged"
        case .notEncrypted: return "not_encrypted"
        case .newPasswordRequired: return "new_password_required"
        }
    }
}

extension CryptoError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }

    public var description: String {
        let sources = "give --password-file FILE, or set WARREN_PASSWORD_FILE or WARREN_PASSWORD_COMMAND"
        switch self {
        case .noPasswordSource:
            return "the repository is encrypted and no password was given: \(sources), or run on a terminal to be asked"
        case .newRepositoryPasswordRequired:
            return "a new repository is encrypted unless --no-encryption is given, and no password was given: \(sources), or run on a terminal to be asked; or pass --no-encryption for a plaintext repository. Nothing was created"
        case let .passwordSourcesConflict(file, command):
            return "a password file (\(file)) and a password command (`\(command)`) were both given; use only one"
        case let .passwordFileUnreadable(path, code):
            return "password file \(path): \(String(cString: strerror(code))); check the path and that this user can read it"
        case let .passwordFileInvalid(path, reason):
            return "password file \(path) \(reason)"
        case let .passwordFileExposed(path, mode):
            return "password file \(path) is readable by every user (mode \(String(mode & 0o7777, radix: 8))); run `chmod o-rwx \(path)`"
        case let .passwordCommandFailed(command, detail):
            return "password command `\(command)` \(detail)"
        case let .emptyPassword(source):
            return "the password from \(source) is empty; empty passwords are not allowed"
        case .passwordsDiffer:
            return "the passwords typed differ; nothing was changed, try again"
        case .promptCancelled:
            return "password prompt cancelled; nothing was changed"
        case let .wrongPassword(count):
            return "wrong password: it opens none of the repository's \(count) key\(count == 1 ? "" : "s"); nothing was read or written. Check the password file or command (or the key list with another password)"
        case let .noKeys(location):
            return "no key files in \(location): this encrypted repository cannot be opened; restore \(location) from a copy"
        case let .keyRingExists(location, count):
            return "\(location) already holds \(count) key file\(count == 1 ? "" : "s"); to add a password use `warren key add`"
        case let .keyFileInvalid(name, reason):
            return "key file \(name) is not usable: \(reason); remove it with `warren key remove` or restore it from a copy"
        case let .foreignKey(name, fingerprint, expected):
            return "key file \(name) belongs to another repository (key fingerprint \(fingerprint), this repository's is \(expected)); remove it"
        case let .keyNotFound(id):
            return "no key with id \(id) (see `warren key list`)"
        case let .keyIDAmbiguous(prefix, matches):
            return "key id \(prefix) matches \(matches.count) keys (\(matches.joined(separator: ", "))); give more digits"
        case let .lastKey(id):
            return "refusing to remove key \(id): it is the repository's only key, and without it nothing could ever be decrypted; add another key first (`warren key add`)"
        case let .keyInUse(id):
            return "refusing to remove key \(id): it is the key this command opened the repository with; open with another key's password to remove it, or use `warren key passwd` to change this one"
        case let .invalidScryptParameters(reason):
            return "invalid scrypt parameters: \(reason)"
        case let .keyDerivationFailed(parameters):
            return "scrypt (\(parameters)) failed: not enough memory; free memory and try again"
        case let .decryptionFailed(object, kind, failure):
            return "\(kind) \(object) cannot be decrypted: \(failure.description); it was not used. Restore the object from another copy of the repository, or take a new backup"
        case let .configMissing(location, count):
            return "\(location) is missing but the repository has \(count) key file\(count == 1 ? "" : "s"): it is an encrypted repository whose config was lost; restore \(location) from a copy of the repository (nothing was read or written)"
        case let .configDamaged(location, reason):
            return "repository config \(location) cannot be used: \(reason); restore it from a copy of the repository"
        case let .notEncrypted(path):
            return "repository \(path) is not encrypted (made with --no-encryption), so it has no keys; to encrypt backups, create an encrypted repository with `warren init`"
        case .newPasswordRequired:
            return "a new password is needed: give --new-password-file FILE, or run on a terminal to be asked"
        }
    }
}
