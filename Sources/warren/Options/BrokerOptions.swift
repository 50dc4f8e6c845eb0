import ArgumentParser
import Foundation
import WarrenCore

/// `--broker-timeout SECONDS`, for commands that drive a node (with ``RabbitmqctlOptions``).
struct BrokerOptions: ParsableArguments {
    @Option(name: .customLong("broker-timeout"), help: ArgumentHelp(
        "Seconds any one rabbitmqctl step may take before it is ended (default per step: 120 for questions, 600 for import_definitions and stop_app, 900 for start_app).",
        valueName: "seconds"))
    var brokerTimeout: Double?

    func validate() throws {
        if let brokerTimeout, !(brokerTimeout > 0 && brokerTimeout.isFinite) {
            throw ValidationError("--broker-timeout must be more than 0 seconds")
        }
    }

    var timeouts: BrokerTimeouts { brokerTimeout.map { BrokerTimeouts(all: $0) } ?? .defaults }
}
