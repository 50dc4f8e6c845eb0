import Foundation
import WarrenCore

/// The broker guard is this very binary, re-executed as the hidden `internal-guard` command.
enum GuardLauncher {
    static var current: BrokerGuard.Launcher {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return BrokerGuard.Launcher(executable: executable, arguments: [GuardCommand.configuration.commandName!])
    }
}
