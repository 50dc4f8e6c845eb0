import ArgumentParser
import Foundation
import WarrenCore

@main
struct Warren: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warren",
        abstract: "Backup catalog for RabbitMQ: records what each backup holds and whether it can be restored.",
        discussion: """
            The repository is chosen by --repo, else $WARREN_REPO, else $XDG_DATA_HOME/warren
            (~/.local/share/warren). Create it once with `warren init`. A --repo with an
            unknown scheme (sftp:…, b2:…) is refused; s3:http(s)://HOST:PORT/BUCKET/PREFIX is
            parsed but not yet supported.

            Exit codes: 0 success; 1 the check ran and found problems; 2 no repository or an
            incompatible one, or a missing or wrong password; 3 unknown backup id; 4 invalid backup or definitions;
            5 I/O error; 6 catalog error; 7 broker (rabbitmqctl) error; 8 repository locked; 9 restore refused;
            10 a backup/restore step or hook failed; 11 an object or document failed to decrypt; 12 a rabbitmqctl step timed out;
            13 an interrupted restore is recorded for the node;
            14 --refuse-loss refused a loss; 15 catalog rebuild refused; 19 the configuration
            file ($WARREN_CONFIG, else /etc/warren/warren.conf) cannot be used; 22 S3 storage error
            (s3: repositories are not yet supported); 130 interrupted; 64 usage error.
            """,
        subcommands: [VersionCommand.self, InitCommand.self, RegisterCommand.self, ListCommand.self, LsCommand.self, ShowCommand.self, VerifyCommand.self, DiffCommand.self, BackupCommand.self, RestoreCommand.self, ExportCommand.self, PruneCommand.self, ForgetCommand.self, CopyCommand.self, PolicyCommand.self, PinCommand.self, UnpinCommand.self, GCCommand.self, CheckCommand.self, ServeCommand.self, ScheduleCommand.self, RestoresCommand.self, AsideCommand.self, GuardCommand.self, CatalogCommand.self, KeyCommand.self]
    )

    /// Global options may come before the subcommand (``GlobalArguments``). Under `--json`,
    /// a usage error also prints the JSON error object on stdout, as every other error does.
    static func main() async {
        // Before any other thread: SIGINT/SIGTERM must reach Warren even when its parent
        // started it with them blocked (see SignalHygiene).
        SignalHygiene.unblockOnThisThread()
        let arguments = GlobalArguments.joiningNegativeValues(GlobalArguments.hoisting(Array(CommandLine.arguments.dropFirst())))
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            if GlobalArguments.wantsJSON(arguments), exitCode(for: error).rawValue == ExitCode.validationFailure.rawValue {
                ErrorBody(code: "usage", message: message(for: error)).print()
            }
            exit(withError: error)
        }
        if let carrier = command as? VerbosityCarrying { Terminal.verbosity = carrier.verbosity.level }
        do {
            try CommandRunner.run(json: GlobalArguments.wantsJSON(arguments)) {
                Configured.file = try ConfigurationFile.load(environment: ProcessInfo.processInfo.environment)
                if let file = Configured.file { Terminal.detail("configuration file \(file.path)") }
            }
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
