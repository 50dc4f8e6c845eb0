import ArgumentParser
import Foundation
import WarrenCore

/// `warren copy ID… --to REPO`: backups from one repository into another (restic's `copy`).
struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy backups into another repository (plaintext or encrypted, either way).",
        discussion: """
            Each backup's objects are read (decrypted and checked against their SHA-256) from
            this repository and stored in the target (sealed under its keys when it is
            encrypted), then its manifest, then the target's catalog records it: a backup is in
            the target whole or not at all. A backup the target already holds (an earlier copy)
            is skipped and said so. The target's password: --to-password-file or
            --to-password-command, else the same password as this repository's. Takes the
            target's write lock; --dry-run says what would be copied and writes nothing.
            Either repository may be an s3: URL (local to S3, S3 to local, or S3 to S3:
            both are reached with the same AWS_* credentials).
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "Backup ids (see `warren list`).")
    var ids: [Int64]

    @Option(name: .customLong("to"), help: ArgumentHelp("The repository to copy into (made with `warren init`).", valueName: "repo"))
    var target: String

    @Option(name: .customLong("to-password-file"), help: ArgumentHelp("File holding the target's password.", valueName: "file"))
    var targetPasswordFile: String?

    @Option(name: .customLong("to-password-command"), help: ArgumentHelp("Command whose output is the target's password.", valueName: "command"))
    var targetPasswordCommand: String?

    @Flag(name: .customLong("dry-run"), help: "Say what would be copied; write nothing.")
    var dryRun = false

    @OptionGroup var lock: LockOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func validate() throws {
        if targetPasswordFile != nil, targetPasswordCommand != nil {
            throw ValidationError("--to-password-file and --to-password-command contradict each other; give one")
        }
    }

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let source = try repository.open()
            // An s3: target is reached with the same AWS_* credentials as an s3: source.
            let destination = try Repository.open(at: target, password: targetPassword, s3: try Self.s3Connection(target))
            Interrupt.install()
            var copier = BackupCopier(source: source, target: destination)
            copier.lockOptions = lock.options
            copier.checkInterrupted = TestHold.wrap(Interrupt.check)
            let report = try ProgressLine.run { try copier.copy(ids: ids, dryRun: dryRun, progress: $0) }
            print(output.json ? try WarrenJSON.string(report) : Self.render(report, source: source.location))
        }
    }

    /// How to reach the target when it is an s3: URL (credentials from the AWS_* variables).
    static func s3Connection(_ target: String) throws -> S3Connection? {
        guard case .s3 = try RepositoryAddress.parse(target) else { return nil }
        return try S3Connection.fromEnvironment(ProcessInfo.processInfo.environment)
    }

    /// The target's password: its own flags, else this repository's source.
    func targetPassword() throws -> Password {
        guard targetPasswordFile != nil || targetPasswordCommand != nil else { return try repository.password() }
        return try PasswordSource.resolve(
            passwordFile: targetPasswordFile, passwordCommand: targetPasswordCommand, environment: [:], terminal: nil).read()
    }

    static func render(_ report: CopyReport, source: String) -> String {
        report.backups.map { entry in
            let size = "\(entry.objects) objects, \(ByteCount.format(entry.bytes))"
            switch entry.outcome {
            case .copied: return "backup \(entry.source) copied to \(report.target) as backup \(entry.target ?? 0) (\(size) written)"
            case .skipped: return "backup \(entry.source) skipped: \(report.target) already holds it as backup \(entry.target ?? 0)"
            case .wouldCopy: return "dry run: backup \(entry.source) would be copied to \(report.target) (\(size) to write)"
            }
        }.joined(separator: "\n") + (report.dryRun ? "\nnothing was written" : "")
    }
}
