import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A watchdog that outlives Warren: started before `stop_app`, in its own session, holding
/// the read end of a pipe whose write end only this process has. When Warren is done (the
/// app is running again) it writes "done" and the guard exits. When Warren dies first
/// (SIGKILL, OOM, a crash) the kernel closes the write end: the guard reads EOF, a
/// deterministic signal of its parent's death, and runs `start_app` itself
/// (see ``BrokerGuardWatch``), recording what it did in ``GuardRecord``.
public final class BrokerGuard: @unchecked Sendable {
    /// How to start the guard process: the CLI re-executes its own binary with a hidden
    /// subcommand, which calls ``BrokerGuardWatch/run(input:node:rabbitmqctl:startTimeout:recordPath:parentPid:)``.
    public struct Launcher: Sendable {
        public var executable: String
        /// The arguments before the guard's own options (e.g. the subcommand's name).
        public var arguments: [String]

        public init(executable: String, arguments: [String]) {
            self.executable = executable
            self.arguments = arguments
        }
    }

    public let pid: pid_t
    private var writeEnd: Int32

    private init(pid: pid_t, writeEnd: Int32) {
        self.pid = pid
        self.writeEnd = writeEnd
    }

    deinit { dismiss() }

    /// Starts a guard for `broker`'s node; its record goes to `REPO/guard/<node>.json`.
    public static func start(_ launcher: Launcher, broker: BrokerControl, repository: String) throws -> BrokerGuard {
        signal(SIGPIPE, SIG_IGN)
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw WarrenError.io(path: "pipe", operation: "create the guard's pipe", errno: errno) }
        // Close-on-exec on both ends (pipe2 is not exported to Swift here): no rabbitmqctl child inherits them.
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copy: the guard's stdin is the read end, and no
        // other child (rabbitmqctl) ever inherits the write end.
        posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own session: a Ctrl-C or SIGHUP of Warren's terminal does not reach it.
        SignalHygiene.prepare(&attributes, flags: 0x80 /* POSIX_SPAWN_SETSID */)

        let arguments = launcher.arguments + [
            "--node", broker.node, "--rabbitmqctl", broker.rabbitmqctl,
            "--start-timeout", String(broker.timeouts.startApp),
            "--record", GuardRecord.path(repository: repository, node: broker.node),
            "--parent-pid", String(getpid()),
        ]
        let argv = ([launcher.executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, launcher.executable, &actions, &attributes, argv, env)
        close(ends[0])
        guard spawned == 0 else {
            close(ends[1])
            throw WarrenError.io(path: launcher.executable, operation: "start the broker guard", errno: spawned)
        }
        return BrokerGuard(pid: pid, writeEnd: ends[1])
    }

    /// Tells the guard that the app is running again (or that Warren has reported that it is
    /// not), and waits for it to exit. Idempotent.
    public func dismiss() {
        guard writeEnd >= 0 else { return }
        let message = Array("done\n".utf8)
        _ = message.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
        close(writeEnd)
        writeEnd = -1
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
