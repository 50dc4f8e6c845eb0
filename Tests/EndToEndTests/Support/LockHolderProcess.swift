import Foundation

/// A separate process that holds a repository's write lock deterministically: util-linux's
/// `flock(1)` takes the `flock(2)` on `REPO/lock`, its shell writes a holder record naming
/// `command` (as a Warren writer would), says "locked", and waits on a pipe. The lock is
/// held until ``release()`` closes that pipe: no test depends on another process still
/// being busy after some time.
final class LockHolderProcess {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    /// The pid named in the lock record (the shell, alive while the lock is held).
    private(set) var pid: Int32 = 0

    static let script = """
        printf '{"command": "%s", "host": "%s", "pid": %d, "started_at": "%s"}\\n' "$1" "$(uname -n)" $$ "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$2/lock"
        echo "locked $$"
        read -r _
        : > "$2/lock"
        """

    init(repo: String, command: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        process.arguments = ["--nonblock", repo + "/lock", "/bin/sh", "-c", Self.script, "sh", command, repo]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Blocks until the shell has written the record (or flock gave up: EOF).
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("locked "), let pid = Int32(text.dropFirst("locked ".count)) else {
            process.waitUntilExit()
            throw CommandFailure(command: "flock \(repo)/lock", result: .init(status: process.terminationStatus, stdout: text, stderr: "could not take the lock"))
        }
        self.pid = pid
    }

    /// Lets the shell clear the record and exit; the kernel then drops the lock.
    func release() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { release() }
    }
}
