import Foundation

/// Runs a process in small slices (SIGCONT, a short pause, SIGSTOP) and inspects the
/// repository while it is stopped, so that a kill lands in a chosen window (after the
/// catalog commit of a prune, while a register's backup is `in_progress`, …) whatever the
/// machine's speed: a stopped process changes nothing while it is looked at.
enum ProcessStepper {
    /// Steps `pid` until `reached()` (evaluated while stopped) is true; returns true then,
    /// with the process left stopped. Returns false when `overshot()` becomes true or the
    /// process exits first (the process is then left running).
    static func stopWhen(_ pid: Int32, slice: useconds_t = 500, limit: Int = 200_000,
                         reached: () throws -> Bool, overshot: () throws -> Bool = { false }) rethrows -> Bool {
        stop(pid)
        for _ in 0..<limit {
            guard isAlive(pid) else { return false }
            if try reached() { return true }
            if try overshot() { kill(pid, SIGCONT); return false }
            kill(pid, SIGCONT)
            usleep(slice)
            stop(pid)
        }
        kill(pid, SIGCONT)
        return false
    }

    /// Sends SIGSTOP and waits until the kernel reports the process stopped (every
    /// thread: a signal is delivered asynchronously) or gone.
    static func stop(_ pid: Int32) {
        kill(pid, SIGSTOP)
        while isAlive(pid) {
            let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            let running = threads.contains { thread in
                guard let state = state(atPath: "/proc/\(pid)/task/\(thread)/stat") else { return false }
                return state != "T" && state != "t" && state != "Z" && state != "X"
            }
            if !running { return }
            usleep(20)
        }
    }

    /// Alive and not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let state = state(pid) else { return false }
        return state != "Z" && state != "X"
    }

    /// The process state letter from /proc/PID/stat (R, S, D, T, Z, …).
    static func state(_ pid: Int32) -> Character? {
        state(atPath: "/proc/\(pid)/stat")
    }

    private static func state(atPath path: String) -> Character? {
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
              let close = stat.lastIndex(of: ")"), stat.distance(from: close, to: stat.endIndex) > 2 else { return nil }
        return stat[stat.index(close, offsetBy: 2)]
    }
}
