import ArgumentParser
import WarrenCore

struct KeyAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a password: a new key file wrapping the same master key.",
        discussion: "Open with an existing password (--password-file …); the new one comes from --new-password-file or the terminal.")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var newPassword: NewPasswordOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let (repo, ring) = try repository.openKeyRing(writer: true)
            let password = try newPassword.read()
            let id = try repo.withWriteLock(command: "key add", options: lock.options) { try ring.add(password: password) }
            if output.json {
                struct Added: Encodable { var id: String }
                print(try WarrenJSON.string(Added(id: id)))
            } else {
                print("added key \(id.prefix(12))")
            }
        }
    }
}
