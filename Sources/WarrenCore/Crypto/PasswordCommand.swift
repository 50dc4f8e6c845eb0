import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a password command (`/bin/sh -c CMD`) and returns its standard output. The output
/// goes through a pipe, never a file. The command's stdin is /dev/null and its stderr is
/// Warren's (restic does the same), so a helper such as `pass` can still talk to the
/// operator. A command that outlives `timeout` seconds is killed; one that leaves a
/// daemon holding the pipe open is not waited for once it has exited.
enum PasswordCommand {
    static let outputLimit = 64 << 10

    static func run(_ command: String, timeout: Double) throws -> [UInt8] {
        func failed(_ detail: String) -> WarrenError { .crypto(.passwordCommandFailed(command: command, detail: detail)) }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw failed("could not start: pipe: \(String(cString: strerror(errno)))") }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        let words: [String] = ["/bin/sh", "-c", command]
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            throw failed("could not start: \(String(cString: strerror(spawned)))")
        }
        defer { close(readEnd) }

        var output: [UInt8] = []
        var status: Int32 = 0
        var exited = false
        let deadline = Date().addingTimeInterval(timeout)
        func killed(_ detail: String) -> WarrenError {
            kill(pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return failed(detail)
        }
        func reap() -> Bool {
            let r = waitpid(pid, &status, WNOHANG)
            return r == pid || (r < 0 && errno != EINTR)
        }
        // Read until end of file, or until the command has exited and the pipe is drained
        // (a daemon it started may keep the pipe open for ever).
        var chunk = [UInt8](repeating: 0, count: 4096)
        reading: while true {
            let n = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if n > 0 {
                output += chunk[0..<n]
                guard output.count <= outputLimit else { throw killed("printed more than 64 KiB: not a password") }
                continue
            }
            if n == 0 { break reading }
            if errno == EINTR { continue }
            guard errno == EAGAIN else { break reading }
            if exited { break reading }
            if reap() { exited = true; continue }  // drain what is left, then stop
            guard Date() < deadline else { throw killed("did not finish within \(Int(timeout)) s and was killed") }
            var poller = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, 100)
        }
        while !exited {
            if reap() { exited = true; break }
            guard Date() < deadline else { throw killed("did not finish within \(Int(timeout)) s and was killed") }
            usleep(10_000)
        }
        let code: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        guard code == 0 else {
            for i in output.indices { output[i] = 0 }
            throw failed(code > 128 ? "was killed by signal \(code - 128)" : "exited with status \(code)")
        }
        return output
    }
}
