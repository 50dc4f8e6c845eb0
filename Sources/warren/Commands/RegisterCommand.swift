import ArgumentParser
import Foundation
import WarrenCore

struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Record a backup made by hand (definitions export + copy of msg_stores/).",
        discussion: """
            DIR holds the definitions file (definitions.json, or definitions.backup, or the file
            --definitions names) and the msg_stores/ directory copied from the node with
            `cp -a NODE_DIR/msg_stores DIR/`. Every file is hashed and stored once in the
            repository; the new backup's id is printed (on stdout), then a summary line (on stderr).

            Nothing is recorded as complete unless every file was stored. Symlinks and special
            files inside msg_stores/ are refused.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: ArgumentHelp("The backup directory.", valueName: "dir"))
    var directory: String

    @Option(help: ArgumentHelp("Name of the node the backup was taken from, e.g. rabbit@host.", valueName: "name"))
    var node: String

    @Option(help: ArgumentHelp("Free text shown by list and show.", valueName: "text"))
    var label: String?

    @Option(name: .customLong("taken-at"), help: ArgumentHelp(
        "When the backup was taken, RFC 3339 with a zone, e.g. 2026-11-21T03:00:00Z or 2026-11-21T04:00:00+01:00 (default: the definitions file's modification time).",
        valueName: "time"))
    var takenAt: String?

    @Option(help: ArgumentHelp("Definitions file, if not DIR/definitions.json or DIR/definitions.backup.", valueName: "file"))
    var definitions: String?

    @OptionGroup var lock: LockOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            // Strict, before anything is opened: a lenient parse moved backups between retention slots.
            let takenAt = try self.takenAt.map { text in
                do {
                    return try RFC3339.parse(text)
                } catch {
                    throw WarrenError.invalidArgument(name: "--taken-at", reason: "'\(text)' \(error)")
                }
            }
            let repo = try repository.openWriter()
            Interrupt.install()
            var registrar = Registrar(repository: repo)
            registrar.checkInterrupted = TestHold.wrap(Interrupt.check)
            registrar.lockOptions = lock.options
            // Diagnostic switch, for measuring what offline counting costs (Tools/bench).
            registrar.countMessages = ProcessInfo.processInfo.environment["WARREN_INDEX_COUNTING"] != "off"
            let request = RegisterRequest(
                directory: directory, node: node, label: label, takenAt: takenAt,
                definitionsPath: definitions)
            let phases = PhaseTimes()
            registrar.onTimings = phases.handler
            let started = ContinuousClock.now
            let id = try ProgressLine.run { handler in
                try registrar.register(request, progress: handler)
            }
            phases.print()
            let summary = try CatalogQueries(catalog: repo.catalog).summary(id: id)
            if output.json {
                print(try WarrenJSON.string(summary))
            } else {
                print(id)
                // Like restic's closing line; on stderr, so that stdout stays the id for scripts.
                Terminal.summary(summary, elapsed: ContinuousClock.now - started)
            }
        }
    }
}
