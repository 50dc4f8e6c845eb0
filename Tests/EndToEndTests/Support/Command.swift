import Foundation

/// Runs a program to completion, capturing stdout and stderr through files (no pipe
/// deadlocks on large output).
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Command {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @discardableResult
    static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
        process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(TestPassword.environment(environment, arguments: arguments)) { $1 }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("warren-cmd-\(UUID().uuidString).out")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("warren-cmd-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Runs and requires exit status 0.
    @discardableResult
    static func check(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let result = try run(program, arguments, environment: environment)
        guard result.status == 0 else {
            throw CommandFailure(command: ([program] + arguments).joined(separator: " "), result: result)
        }
        return result.stdout
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    var command: String
    var result: CommandResult
    var description: String { "`\(command)` exited \(result.status): \(result.stderr)\(result.stdout)" }
}
