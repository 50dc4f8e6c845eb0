import Foundation
import Testing
@testable import WarrenCore

/// Time-outs of child processes (issue 16 §4): a step past its limit is ended with its whole
/// process group, and a step within it is untouched.
@Suite struct SubprocessTimeoutTests {
    @Test func aStepPastItsTimeoutIsEndedWithItsChildren() throws {
        let pidFile = NSTemporaryDirectory() + "warren-sub-\(UUID().uuidString)"
        defer { unlink(pidFile) }
        #expect(throws: Subprocess.Stopped.timedOut(seconds: 0.3)) {
            try Subprocess.run("/bin/sh", ["-c", "sleep 100 & echo $! > '\(pidFile)'; wait"], timeout: 0.3)
        }
        let grandchild = try #require(pid_t(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.gone(grandchild), "the step's own child was ended too")
    }

    /// Not running: no such process, or a zombie waiting for its new parent to reap it.
    /// A SIGKILL is delivered asynchronously: wait (up to 30 s, a hang guard) for it to land.
    static func gone(_ pid: pid_t) -> Bool {
        let deadline = Date().addingTimeInterval(30)
        repeat {
            guard kill(pid, 0) == 0 else { return true }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if stat.contains(") Z ") { return true }
            usleep(10_000)
        } while Date() < deadline
        return false
    }

    @Test func aStepWithinItsTimeoutKeepsItsStatus() throws {
        let result = try Subprocess.run("/bin/sh", ["-c", "echo out; exit 3"], timeout: 30, interruptible: true)
        #expect(result.status == 3)
        #expect(result.stdout == "out\n")
    }

    @Test func brokerTimeoutNamesTheStep() throws {
        let script = NSTemporaryDirectory() + "warren-ctl-\(UUID().uuidString)"
        defer { unlink(script) }
        try Data("#!/bin/sh\nexec sleep 100\n".utf8).write(to: URL(fileURLWithPath: script))
        chmod(script, 0o755)
        let hanging = BrokerControl(node: "x@localhost", rabbitmqctl: script, timeouts: BrokerTimeouts(all: 0.2))
        #expect(throws: WarrenError.brokerTimeout(node: "x@localhost", step: "list vhosts", seconds: 0.2, detail: "")) {
            _ = try hanging.vhosts()
        }
    }
}
