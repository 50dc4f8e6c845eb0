import ArgumentParser
import Foundation
import WarrenCore

/// `--new-password-file FILE` for `key add` and `key passwd`; without it the new password
/// is asked twice on the terminal.
struct NewPasswordOptions: ParsableArguments {
    @Option(name: .customLong("new-password-file"), help: ArgumentHelp(
        "File holding the new password (default: asked twice on the terminal).", valueName: "file"))
    var newPasswordFile: String?

    func read() throws -> Password {
        if let newPasswordFile {
            return try PasswordSource.file(path: newPasswordFile).read()
        }
        guard let terminal = RepositoryOptions.terminal else { throw WarrenError.crypto(.newPasswordRequired) }
        return try PasswordSource.terminal(path: terminal).read(prompt: "enter the new password: ", confirmation: "enter the new password again: ")
    }
}

extension RepositoryOptions {
    /// Opens an encrypted repository and its key ring; a plaintext one is refused
    /// (``CryptoError/notEncrypted(path:)``).
    func openKeyRing(writer: Bool) throws -> (Repository, KeyRing) {
        let repo = try writer ? openWriter(noticeUpgrade: false) : open(noticeUpgrade: false)
        guard let ring = repo.keyRing else { throw WarrenError.crypto(.notEncrypted(path: repo.path)) }
        return (repo, ring)
    }
}
