import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with stdout and stderr captured to temporary files and waits with
/// `waitpid`. Unlike pipes, files cannot keep the caller waiting when the program leaves
/// a daemon behind (rabbitmqctl may start epmd).
///
/// With a time-out, or when interruptible, the wait polls: a child still running past its
/// time-out, or when a SIGINT/SIGTERM was received (``InterruptFlag``), is ended with
/// SIGTERM and then SIGKILL sent to its process group, and ``Stopped`` is thrown.
public enum Subprocess {
    /// Why a child was ended before it exited on its own.
    public enum Stopped: Error, Sendable, Equatable {
        case timedOut(seconds: Double)
        case interrupted(signal: Int32)
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// - Parameter stdinPath: a file opened (by this process's user) as the program's stdin.
    /// - Parameter captureDirectory: where stdout and stderr are captured (a repository's
    ///   private `tmp/`: `export_definitions` prints password hashes); the system's temporary
    ///   directory when nil. The files are named `PID-capture-…` so that `gc` and `check`
    ///   remove them when a killed process leaves them behind.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, stdinPath: String? = nil,
        timeout: Double? = nil, interruptible: Bool = false, captureDirectory: String? = nil
    ) throws -> Result {
        let directory = captureDirectory ?? FileManager.default.temporaryDirectory.path
        let stem = "\(directory)/\(getpid())-capture-\(UUID().uuidString)"
        let out = stem + ".out", err = stem + ".err"
        defer { unlink(out); unlink(err) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }

        // Its own process group: a Ctrl-C on the terminal reaches Warren (which then stops
        // cleanly, e.g. starting the broker app again), never a half-done rabbitmqctl.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        SignalHygiene.prepare(&attributes, flags: Int32(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        var pid: pid_t = 0
        var spawned: Int32 = 0
        // ETXTBSY: a script just written may still be open for writing in a child that another
        // thread forked meanwhile; that descriptor goes away when the child execs.
        for attempt in 0..<50 {
            spawned = executable.contains("/")
                ? posix_spawn(&pid, executable, &actions, &attributes, argv, env)
                : posix_spawnp(&pid, executable, &actions, &attributes, argv, env)
            guard spawned == ETXTBSY, attempt < 49 else { break }
            usleep(20_000)
        }
        guard spawned == 0 else { throw WarrenError.io(path: executable, operation: "spawn", errno: spawned) }
        var status: Int32 = 0
        if timeout != nil || interruptible {
            try waitPolling(pid, &status, executable: executable, timeout: timeout, interruptible: interruptible)
        } else {
            while waitpid(pid, &status, 0) < 0 {
                guard errno == EINTR else { throw WarrenError.io(path: executable, operation: "waitpid", errno: errno) }
            }
        }
        let exit: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Result(
            status: exit,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    private static func waitPolling(_ pid: pid_t, _ status: inout Int32, executable: String, timeout: Double?, interruptible: Bool) throws {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return }
            if reaped < 0 && errno != EINTR { throw WarrenError.io(path: executable, operation: "waitpid", errno: errno) }
            var stopped: Stopped?
            if interruptible && InterruptFlag.signal != 0 { stopped = .interrupted(signal: InterruptFlag.signal) }
            if let deadline, let timeout, Date() >= deadline { stopped = .timedOut(seconds: timeout) }
            if let stopped {
                end(pid)
                throw stopped
            }
            usleep(10_000)
        }
    }

    /// SIGTERM to the child's process group, SIGKILL after half a second, then reaped.
    private static func end(_ pid: pid_t) {
        var status: Int32 = 0
        kill(-pid, SIGTERM)
        for _ in 0..<50 {
            if waitpid(pid, &status, WNOHANG) == pid { kill(-pid, SIGKILL); return }
            usleep(10_000)
        }
        kill(-pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
