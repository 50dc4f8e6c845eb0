import ArgumentParser
import Foundation
import WarrenCore

/// Hidden: the watchdog that `backup --stop-app` and `restore` start before `stop_app`
/// (see ``BrokerGuard``). Its stdin is a pipe from its parent.
struct GuardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "internal-guard", abstract: "Internal: start the broker app if the parent Warren dies.", shouldDisplay: false)

    @Option var node: String
    @Option var rabbitmqctl: String
    @Option(name: .customLong("start-timeout")) var startTimeout: Double
    @Option var record: String
    @Option(name: .customLong("parent-pid")) var parentPid: Int32

    func run() throws {
        // Hold nothing the dead parent's own parent may wait on (e.g. a pipe whose EOF says the parent is gone).
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let fd = Int32(name), fd > 2 { close(fd) }
        }
        let action = BrokerGuardWatch.run(input: 0, node: node, rabbitmqctl: rabbitmqctl, startTimeout: startTimeout,
                                          recordPath: record, parentPid: parentPid)
        if case .failed = action { throw ExitCode(1) }
    }
}
