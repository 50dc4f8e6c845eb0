import Foundation
import Testing
import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// `warren serve` as an operator runs it: connections that send nothing, or a request head
/// that never ends, are closed; `--log-format json` writes one JSON object per line, a
/// request at debug, a failed job at error with its reason; `/v1/metrics` passes
/// `promtool check metrics` before and after jobs, with an age series for a node that never
/// had a backup and a failure counter labelled with the node.
@Suite(.serialized) struct ServeOperationsEndToEndTests {
    /// Connects to `socket`; the receive time-out is only a guard against a hang.
    static func connect(_ socket: String) throws -> Int32 {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in socket.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw CommandFailure(command: "connect \(socket)", result: .init(status: errno, stdout: "", stderr: "")) }
        var guardTime = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &guardTime, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Reads until the server closes; nil when the guard time-out fired first.
    static func readUntilClosed(_ fd: Int32) -> String? {
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n == 0 { return String(decoding: received, as: UTF8.self) }
            if n < 0 { return errno == EINTR ? readUntilClosed(fd) : nil }
            received += buffer[0..<n]
        }
    }

    static func promtool(_ text: String) throws -> CommandResult {
        let path = NSTemporaryDirectory() + "warren-metrics-\(UUID().uuidString).txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Command.run("/bin/sh", ["-c", "promtool check metrics < '\(path)'"])
    }

    @Test func idleAndEndlessHeadConnectionsAreClosedAndLogsAreJSON() throws {
        let (work, repo, ids) = try ServiceEndToEndTests.setUp()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let socket = work + "/o.sock"
        try ScheduleStore(catalog: try Repository.open(at: repo).catalog)
            .add(ScheduleRequest(node: "rabbit@never", every: "1d"))
        let served = try Served(repo: repo, socket: socket, extra: ["--idle-timeout", "1", "--log-format", "json", "--log-level", "debug"],
                                environment: ["WARREN_RABBITMQCTL": "/bin/false"])
        #expect(served.ready(), "serve did not answer")

        // A connection that sends nothing is closed by the server (not by the guard).
        let idle = try Self.connect(socket)
        #expect(Self.readUntilClosed(idle) == "", "an idle connection stayed open")
        close(idle)

        // A request head that never ends (1 MB of one header, no blank line) is refused and closed.
        let endless = try Self.connect(socket)
        let head = "GET /v1/health HTTP/1.1\r\nHost: warren\r\nX-Padding: " + String(repeating: "a", count: 1 << 20)
        _ = head.withCString { send(endless, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        let answer = Self.readUntilClosed(endless)
        #expect(answer != nil, "a 1 MB header got no answer")
        close(endless)
        #expect(try served.curl("GET", "/v1/health").status == 200, "still serving")

        // Metrics pass promtool before any job; the scheduled node without backups has an age series.
        let before = try served.curl("GET", "/v1/metrics").body
        let checkedBefore = try Self.promtool(before)
        #expect(checkedBefore.status == 0, "\(checkedBefore.stdout)\(checkedBefore.stderr)\n\(before)")
        #expect(before.contains(#"warren_last_backup_timestamp_seconds{node="rabbit@never"} 0"#), "\(before)")

        // A verify that succeeds and a backup that fails (rabbitmqctl is /bin/false).
        let verify = try served.curl("POST", "/v1/backups/\(ids[0])/verify")
        #expect(try served.follow(job: verify.object["id"]).job["state"] as? String == "succeeded")
        let backup = try served.curl("POST", "/v1/backups", body: #"{"node": "rabbit@down"}"#)
        #expect(backup.status == 202, "\(backup.body)")
        let failed = try served.follow(job: backup.object["id"]).job
        #expect(failed["state"] as? String == "failed")

        let after = try served.curl("GET", "/v1/metrics").body
        let checkedAfter = try Self.promtool(after)
        #expect(checkedAfter.status == 0, "\(checkedAfter.stdout)\(checkedAfter.stderr)\n\(after)")
        #expect(after.contains(#"warren_job_failures_total{kind="backup",node="rabbit@down"} 1"#), "\(after)")
        #expect(after.contains(#"warren_last_backup_age_seconds{node="rabbit@down"}"#), "\(after)")
        #expect(after.contains("# HELP warren_jobs_total") && after.contains("# HELP warren_job_duration_seconds"), "\(after)")

        let ended = served.terminate()
        #expect(ended.status == 0, "\(ended.stderr)")
        let lines = ended.stderr.split(separator: "\n").map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        #expect(!lines.isEmpty && lines.allSatisfy { $0 != nil }, "not one JSON object per line: \(ended.stderr.prefix(2000))")
        let objects = lines.compactMap { $0 }
        #expect(objects.contains { $0["level"] as? String == "debug" && $0["path"] as? String == "/v1/health" && $0["status"] as? String == "200" },
                "no debug line for a request")
        let jobFailed = objects.first { $0["message"] as? String == "job failed" && $0["node"] as? String == "rabbit@down" }
        #expect(jobFailed?["level"] as? String == "error" && jobFailed?["node"] as? String == "rabbit@down", "\(ended.stderr.prefix(3000))")
        #expect((jobFailed?["reason"] as? String)?.isEmpty == false, "the failed job's reason is not logged")
    }
}
