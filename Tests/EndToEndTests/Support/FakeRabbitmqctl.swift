import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A `rabbitmqctl` stand-in written as a shell script, for the broker-safety tests. Each
/// kind behaves differently at one step and passes everything else to the real rabbitmqctl.
/// A hanging step writes its process id (also its process group: Warren starts each step in
/// its own group) to ``pidFile`` before it sleeps.
struct FakeRabbitmqctl {
    enum Kind {
        /// Every call sleeps forever.
        case sleepForever
        /// `stop_app` is done for real, then hangs (the app stays stopped).
        case hangAfterStop
        /// `start_app` hangs; everything else is real.
        case hangOnStart
        /// Only logs each call's arguments to ``log``.
        case logging
    }

    let path: String
    let pidFile: String
    let log: String

    init(_ kind: Kind, in directory: String) throws {
        path = directory + "/rabbitmqctl-\(UUID().uuidString.prefix(8))"
        pidFile = path + ".pid"
        log = path + ".log"
        let hang = "echo $$ > '\(pidFile)'; exec sleep 100000"
        let body: String
        switch kind {
        case .sleepForever: body = hang
        case .hangAfterStop: body = "case \" $* \" in *\" stop_app \"*) rabbitmqctl \"$@\"; \(hang);; esac; exec rabbitmqctl \"$@\""
        case .hangOnStart: body = "case \" $* \" in *\" start_app \"*) \(hang);; esac; exec rabbitmqctl \"$@\""
        case .logging: body = "exec rabbitmqctl \"$@\""
        }
        let script = "#!/bin/sh\necho \"$*\" >> '\(log)'\n\(body)\n"
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
    }

    /// The calls made so far, one line each.
    var calls: [String] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Waits until a step hangs; its pid.
    func waitForHang(timeout: Double = 120) -> pid_t? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return pid }
            usleep(10_000)
        } while Date() < deadline
        return nil
    }

    /// Ends a hanging step left behind by a killed Warren.
    func endHang() {
        if let pid = waitForHang(timeout: 0) { kill(-pid, SIGKILL); kill(pid, SIGKILL) }
    }
}
