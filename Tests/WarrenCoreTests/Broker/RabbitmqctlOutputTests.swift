import Foundation
import Testing
@testable import WarrenCore

/// The one-line detail Warren makes of a failed rabbitmqctl call (the end-to-end checks as
/// `nobody` are in RabbitmqctlOutputEndToEndTests).
@Suite struct RabbitmqctlOutputTests {
    @Test func ansiEscapesAreRemoved() {
        #expect(RabbitmqctlOutput.strippingANSI("\u{1B}[1mUsage\u{1B}[0m\n\u{1B}[38;5;12mHelp\u{1B}[0m:") == "Usage\nHelp:")
        #expect(RabbitmqctlOutput.strippingANSI("\u{1B}]0;title\u{07}ok") == "ok")
        #expect(RabbitmqctlOutput.strippingANSI("plain") == "plain")
    }

    @Test func theFirstErrorLineIsKept() {
        let badrpc = "Error:\n{:badrpc, {:EXIT, {:undef, [{:foo, :bar, [], []}]}}}\n\nmore"
        #expect(RabbitmqctlOutput.summary(badrpc) == "Error: {:badrpc, {:EXIT, {:undef, [{:foo, :bar, [], []}]}}}")
        let logged = "\n04:26:40.488 [error] ERROR: something broke - []\n  stack\n"
        #expect(RabbitmqctlOutput.summary(logged) == "ERROR: something broke - []")
        let usage = "Usage\n\nrabbitmqctl [--node <node>] <command>\n\nAvailable commands:\n" + String(repeating: "   cmd  does\n", count: 150)
        #expect(RabbitmqctlOutput.summary(usage) == "rabbitmqctl rejected its command line (it printed its usage text; see --verbose)")
        #expect(RabbitmqctlOutput.summary("  \n ") == nil)
        // 3.10.8's import_definitions refusing a policy: the reason is on the line after.
        let refused = "Importing definitions in JSON from a file at \"/dev/stdin\" ...\nError: Validation failed\n\n[{<<\"no-such-setting\">>,1}] are not recognised policy settings\n"
        #expect(RabbitmqctlOutput.summary(refused) == "Error: Validation failed: [{<<\"no-such-setting\">>,1}] are not recognised policy settings")
        let split = "Importing definitions in JSON from a file at \"/dev/stdin\" ...\nError:\nValidation failed\n\n[{<<\"no-such-setting\">>,1}] are not recognised policy settings\n"
        #expect(RabbitmqctlOutput.summary(split) == "Error: Validation failed: [{<<\"no-such-setting\">>,1}] are not recognised policy settings")
        #expect(RabbitmqctlOutput.summary(String(repeating: "x", count: 1000))?.count == 300)
    }

    @Test func knownCasesSayWhatToDo() {
        let refused = RabbitmqctlOutput.detail(node: "rabbit@a", output: "Usage\n...\n\nOnly root or rabbitmq should run rabbitmqctl", status: 1,
                                               rabbitmqctl: "rabbitmqctl")
        #expect(refused.hasPrefix("rabbitmqctl refuses to run as user ") && refused.contains("WARREN_RABBITMQCTL"), "\(refused)")
        let cookie = RabbitmqctlOutput.detail(node: "rabbit@a", output: """
            04:26:40.488 [error] ERROR: {:error, 'Error when reading /root/.erlang.cookie: eacces'} - []
                {{:error, 'Error when reading /root/.erlang.cookie: eacces'},
            """, status: 78, rabbitmqctl: "rabbitmqctl")
        #expect(cookie.contains("cannot use the Erlang cookie (/root/.erlang.cookie: eacces)"), "\(cookie)")
        #expect(RabbitmqctlOutput.cookieProblem("Failed to create cookie file '/nonexistent/.erlang.cookie': enoent") == "/nonexistent/.erlang.cookie: enoent")
        #expect(RabbitmqctlOutput.detail(node: "n", output: "", status: 69, rabbitmqctl: "x") == "rabbitmqctl exited with status 69 and printed nothing")
    }
}
