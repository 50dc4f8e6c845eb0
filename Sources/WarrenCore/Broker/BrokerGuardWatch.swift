import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The guard process's side of ``BrokerGuard``: waits on its input until the parent says
/// "done" (exit quietly) or the input ends without it (the parent died: start the app).
public enum BrokerGuardWatch {
    /// What the guard did.
    public enum Action: Sendable, Equatable {
        case dismissed
        case started
        case failed(String)
    }

    /// Blocks until the parent is done or gone. Never throws: a guard has nobody to tell but
    /// its record.
    public static func run(input: Int32, node: String, rabbitmqctl: String, startTimeout: Double,
                           recordPath: String, parentPid: Int32) -> Action {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n > 0 { received += buffer[0..<n]; continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        if String(decoding: received, as: UTF8.self).contains("done") { return .dismissed }

        let host = LockHolder.hostName
        func record(_ outcome: GuardRecord.Outcome, _ detail: String) {
            try? GuardRecord(node: node, parentPid: parentPid, host: host, outcome: outcome,
                             at: Timestamp.format(Date()), detail: detail).write(to: recordPath)
        }
        record(.acting, "warren (pid \(parentPid)) died with the broker app possibly stopped; running start_app")
        do {
            try BrokerControl(node: node, rabbitmqctl: rabbitmqctl, timeouts: BrokerTimeouts(all: startTimeout)).startApp()
            record(.started, "warren (pid \(parentPid)) died; the guard started the broker app again")
            return .started
        } catch {
            record(.failed, "warren (pid \(parentPid)) died; the guard could not start the broker app: \(error)")
            return .failed("\(error)")
        }
    }
}
