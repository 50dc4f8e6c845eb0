import Foundation

/// The built `warren` binary, run as a separate process exactly as an operator would.
enum Warren {
    static var binary: String {
        if let explicit = ProcessInfo.processInfo.environment["WARREN_BIN"] { return explicit }
        // The test bundle lives in the same build directory as the executable.
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("warren").path,
            Command.packageRoot + "/.build/debug/warren",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
    }

    @discardableResult
    static func run(_ arguments: [String], repo: String, environment: [String: String] = [:]) throws -> CommandResult {
        try Command.run(binary, arguments + ["--repo", repo], environment: environment)
    }

    /// Runs with --json and exit 0 required; returns the parsed JSON.
    static func json(_ arguments: [String], repo: String, environment: [String: String] = [:]) throws -> Any {
        let result = try run(arguments + ["--json"], repo: repo, environment: environment)
        guard result.status == 0 else {
            throw CommandFailure(command: "warren " + arguments.joined(separator: " "), result: result)
        }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }
}
