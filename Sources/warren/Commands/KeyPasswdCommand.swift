import ArgumentParser
import WarrenCore

struct KeyPasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Change the password of the key that opens the repository.",
        discussion: """
            Writes a key file for the new password (checked to open), then removes the old one;
            no object is rewritten. A crash in between leaves both keys, never neither.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var newPassword: NewPasswordOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let (repo, ring) = try repository.openKeyRing(writer: true)
            let password = try newPassword.read()
            let changed = try repo.withWriteLock(command: "key passwd", options: lock.options) { try ring.changePassword(to: password) }
            if output.json {
                struct Changed: Encodable { var id: String; var removed: String }
                print(try WarrenJSON.string(Changed(id: changed.keyID, removed: ring.keyID)))
            } else {
                print("password changed: key \(changed.keyID.prefix(12)) replaces \(ring.keyID.prefix(12))")
            }
        }
    }
}
