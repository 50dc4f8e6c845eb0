import ArgumentParser
import WarrenCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a repository (catalog.sqlite, objects/, config and, when encrypted, keys/).",
        discussion: """
            The directory must be new or empty. Other commands refuse to run until it exists.
            The repository is private to its owner (directories 0700, files 0600 or 0400) whatever \
            the umask: it holds password hashes and message bodies. With --group, members of that \
            group can read it (directories 2750, files 0640 or 0440) and run list, show and verify.

            The repository is encrypted (aes-256-gcm) unless --no-encryption is given: a random
            master key is created and wrapped in a first key file (keys/) by a key derived
            from the password with scrypt; add more passwords with `warren key add`. The
            password comes from --password-file, --password-command, $WARREN_PASSWORD_FILE or
            $WARREN_PASSWORD_COMMAND, else it is asked twice on the terminal; with none of
            these and no terminal, init fails (exit 2) and creates nothing. With
            --no-encryption it is plaintext (a password in the environment is then ignored).
            Its config records which; list, show and check say it.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Flag(name: .customLong("no-encryption"), help: "Create a plaintext repository (the default is encrypted; a password in the environment is then ignored).")
    var noEncryption = false

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    @Option(help: ArgumentHelp("Let the members of this group read the repository (list, show, verify), e.g. a monitoring user's.", valueName: "name"))
    var group: String?

    func validate() throws {
        if noEncryption, repository.passwordFile != nil || repository.passwordCommand != nil {
            throw ValidationError("--no-encryption and --password-file/--password-command contradict each other; give one")
        }
    }

    func run() throws {
        try CommandRunner.run(json: output.json) {
            // An unknown scheme, or missing S3 credentials, are refused before a password is asked for.
            let s3 = try repository.s3Connection()
            let setup: EncryptionSetup
            if noEncryption {
                setup = .none
            } else {
                let source: PasswordSource
                do {
                    source = try repository.passwordSource()
                } catch WarrenError.crypto(.noPasswordSource) {
                    throw WarrenError.crypto(.newRepositoryPasswordRequired)
                }
                setup = .password(try source.read(
                    prompt: "enter a password for the new repository: ", confirmation: "enter the password again: "))
            }
            let repo = try Repository.initialize(at: repository.location, group: group, encryption: setup, s3: s3)
            if output.json {
                struct Created: Encodable {
                    var repository: String
                    var migrations: [String]
                    var access: RepositoryAccess
                    var encryption: RepositoryEncryption
                    var keyID: String?
                    enum CodingKeys: String, CodingKey { case repository, migrations, access, encryption, keyID = "key_id" }
                    func encode(to encoder: any Encoder) throws {
                        var c = encoder.container(keyedBy: CodingKeys.self)
                        try c.encode(repository, forKey: .repository)
                        try c.encode(migrations, forKey: .migrations)
                        try c.encode(access, forKey: .access)
                        try c.encode(encryption, forKey: .encryption)
                        try c.encode(keyID, forKey: .keyID)
                    }
                }
                print(try WarrenJSON.string(Created(
                    repository: repo.location, migrations: try repo.catalog.appliedMigrations(), access: repo.access, encryption: repo.encryption,
                    keyID: repo.keyRing?.keyID)))
            } else {
                print("created repository at \(repo.location) (encryption: \(repo.encryption); " + (group.map { "readable by group \($0))" } ?? "private to its owner)"))
                if let ring = repo.keyRing {
                    print("key \(ring.keyID.prefix(12)) created; keep the password safe: without it (or another key's) nothing can be restored")
                }
            }
        }
    }
}
