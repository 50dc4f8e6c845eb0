import Foundation
import WarrenCore

/// A `warren` process started in the background, for tests that overlap commands or kill
/// them. Output goes to files so that nothing blocks on a full pipe.
final class Spawned {
    let process = Process()
    let started = Date()
    private let out: URL
    private let err: URL

    /// `environment` is added to this process's own.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        out = FileManager.default.temporaryDirectory.appendingPathComponent("warren-spawn-\(UUID().uuidString).out")
        err = FileManager.default.temporaryDirectory.appendingPathComponent("warren-spawn-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: Warren.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(TestPassword.environment(environment, arguments: arguments)) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: err)
    }

    var pid: Int32 { process.processIdentifier }

    func sigkill() { kill(process.processIdentifier, SIGKILL) }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for exit; the result's status is the exit code, or 128 + signal when killed.
    @discardableResult
    func wait() -> CommandResult {
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return CommandResult(
            status: status, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Waits for exit, but SIGKILLs the process if it is still running after `seconds` (a
    /// guard against a hang, far above any healthy run: the result is then 137).
    func wait(killingAfter seconds: Double) -> CommandResult {
        let pid = process.processIdentifier
        let process = self.process
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            if process.isRunning { kill(pid, SIGKILL) }
        }
        return wait()
    }

    /// Waits until the process has written `text` to stderr (true), or has exited or
    /// `timeout` passed without (false). The timeout is only a guard against a hang.
    func waitForStderr(containing text: String, timeout: Double = 900) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let written = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            if written.contains(text) { return true }
            if !process.isRunning { return ((try? String(contentsOf: err, encoding: .utf8)) ?? "").contains(text) }
            usleep(2000)
        }
        return false
    }

    /// Waits until the repository's lock record names this process (it holds the lock).
    func waitUntilHoldingLock(of repo: String, timeout: Double = 900) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && process.isRunning {
            if let data = FileManager.default.contents(atPath: repo + "/lock"),
               let record = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               (record["pid"] as? NSNumber)?.int32Value == pid {
                return true
            }
            usleep(2000)
        }
        return false
    }
}
