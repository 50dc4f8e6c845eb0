import ArgumentParser
import Foundation
import WarrenCore

/// `--rabbitmqctl PATH` and `--broker-timeout SECONDS`, for commands that talk to a node.
struct BrokerOptions: ParsableArguments {
    @Option(name: .customLong("rabbitmqctl"), help: ArgumentHelp(
        "The rabbitmqctl to run (default: $WARREN_RABBITMQCTL, else rabbitmqctl on PATH).", valueName: "path"))
    var rabbitmqctl: String?

    @Option(name: .customLong("broker-timeout"), help: ArgumentHelp(
        "Seconds any one rabbitmqctl step may take before it is ended (default per step: 120 for questions, 600 for import_definitions and stop_app, 900 for start_app).",
        valueName: "seconds"))
    var brokerTimeout: Double?

    func validate() throws {
        if let brokerTimeout, !(brokerTimeout > 0 && brokerTimeout.isFinite) {
            throw ValidationError("--broker-timeout must be more than 0 seconds")
        }
    }

    var executable: String {
        rabbitmqctl ?? ProcessInfo.processInfo.environment["WARREN_RABBITMQCTL"] ?? "rabbitmqctl"
    }

    var timeouts: BrokerTimeouts { brokerTimeout.map { BrokerTimeouts(all: $0) } ?? .defaults }
}
