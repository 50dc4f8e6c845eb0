import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with stdout and stderr captured to temporary files and waits with
/// `waitpid`. Unlike pipes, files cannot keep the caller waiting when the program leaves
/// a daemon behind (rabbitmqctl may start epmd).
public enum Subprocess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// - Parameter stdinPath: a file opened (by this process's user) as the program's stdin.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, stdinPath: String? = nil
    ) throws -> Result {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("warren-\(UUID().uuidString).out").path
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("warren-\(UUID().uuidString).err").path
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
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        var pid: pid_t = 0
        let spawned = executable.contains("/")
            ? posix_spawn(&pid, executable, &actions, &attributes, argv, env)
            : posix_spawnp(&pid, executable, &actions, &attributes, argv, env)
        guard spawned == 0 else { throw WarrenError.io(path: executable, operation: "spawn", errno: spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw WarrenError.io(path: executable, operation: "waitpid", errno: errno) }
        }
        let exit: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Result(
            status: exit,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
