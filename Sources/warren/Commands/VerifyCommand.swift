import ArgumentParser
import Foundation
import WarrenCore

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Say whether restoring a backup would bring every stored message back.",
        discussion: """
            Checks the stored definitions, that every stored vhost and queue has a matching
            definition (the broker deletes queue data without one), that every object exists
            with its size (--full: re-reads and re-hashes every object on all cores), and, with
            a target, that the target broker can read the files. Finding codes are documented
            in the README.

            Exit: 0 viable (also with warnings, unless --strict); 1 not viable; 2 or more when
            the check could not run.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "Backup id (see `warren list`).")
    var id: Int64

    @Flag(help: "Re-read every object and check its SHA-256 (default: existence and size).")
    var full = false

    @Option(name: .customLong("target-version"), help: ArgumentHelp("Version of the broker to restore into, e.g. 3.13.7.", valueName: "x.y.z"))
    var targetVersion: String?

    @Option(name: .customLong("target-node"), help: ArgumentHelp("Ask this running node (rabbitmqctl -n) for its version.", valueName: "name"))
    var targetNode: String?

    @OptionGroup var ctl: RabbitmqctlOptions

    @OptionGroup var exclusions: ExclusionOptions

    @Flag(help: "Exit 1 on warnings too.")
    var strict = false

    @Flag(help: "Do not wrap the text output at 80 columns.")
    var wide = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var service: SocketOptions

    func validate() throws {
        if targetVersion != nil && targetNode != nil {
            throw ValidationError("give --target-version or --target-node, not both")
        }
    }

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let node = targetNode.map { BrokerControl(node: $0, rabbitmqctl: ctl.rabbitmqctl) }
            let target = try targetVersion ?? node.map { try $0.version() }
            var options = VerifyOptions(full: full, targetVersion: target, excludeQueues: exclusions.queues, excludeVhosts: exclusions.vhosts,
                                        allowUnmatchedExclusions: exclusions.allowUnmatched)
            // The node's vhosts and their default queue type (issue 15).
            options.targetVhosts = try node.map { try TargetVhost.list($0) }
            let report: VerifyReport
            if let socket = service.socket {
                var body: [String: Any] = ["full": full, "exclude_queues": exclusions.queues, "exclude_vhosts": exclusions.vhosts,
                                           "allow_unmatched_exclusions": exclusions.allowUnmatched]
                if let target { body["target_version"] = target }
                let result = try ServiceClient(socket: socket).runJob(
                    "/v1/backups/\(id)/verify", body: try JSONSerialization.data(withJSONObject: body))
                report = try ServiceClient.decode(VerifyReport.self, result)
            } else {
                let repo = try repository.open()
                report = try ProgressLine.run { handler in
                    try Verifier(repository: repo).verify(id: id, options: options, progress: handler)
                }
            }
            if output.json {
                print(try WarrenJSON.string(VerifyOutput(report)))
            } else {
                print(VerifyRenderer.render(report, width: wide ? nil : Table.defaultWidth))
            }
            if report.verdict == .notViable || (strict && report.verdict == .viableWithWarnings) {
                throw ExitCode(1)
            }
        }
    }
}
