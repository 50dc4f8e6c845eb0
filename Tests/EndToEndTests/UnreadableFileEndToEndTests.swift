import Foundation
import Testing

/// An unreadable file inside msg_stores is refused up front, naming it, with nothing
/// registered. Root reads everything, so warren runs as `nobody` here (setpriv).
@Suite struct UnreadableFileEndToEndTests {
    @Test func unreadableFileIsRefusedByName() throws {
        guard getuid() == 0 else {
            // Not root: chmod 000 alone makes the file unreadable.
            try check(asUser: [])
            return
        }
        try check(asUser: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
    }

    func check(asUser prefix: [String]) throws {
        let work = NSTemporaryDirectory() + "warren-e2e-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let store = work + "/backup/msg_stores/vhosts/628WB79CIFDYO9LJI6DKMI09L/msg_store_persistent"
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        try Data("/".utf8).write(to: URL(fileURLWithPath: work + "/backup/msg_stores/vhosts/628WB79CIFDYO9LJI6DKMI09L/.vhost"))
        try Data(#"{"rabbit_version":"3.10.8","vhosts":[{"name":"/"}],"queues":[]}"#.utf8)
            .write(to: URL(fileURLWithPath: work + "/backup/definitions.json"))
        try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: store + "/0.rdq"))
        let secret = store + "/1.rdq"
        try Data(repeating: 9, count: 1000).write(to: URL(fileURLWithPath: secret))
        try Command.check("/bin/chmod", ["-R", "a+rwX", work])
        try Command.check("/bin/chmod", ["000", secret])

        func warren(_ arguments: [String]) throws -> CommandResult {
            let command = prefix + [Warren.binary] + arguments + ["--repo", work + "/repo"]
            return try Command.run(command[0], Array(command.dropFirst()), environment: ["HOME": work])
        }
        #expect(try warren(["init", "--no-encryption"]).status == 0)   // plaintext: nobody cannot read the test password
        let result = try warren(["register", work + "/backup", "--node", "n"])
        #expect(result.status == 4)
        #expect(result.stderr.contains(secret) && result.stderr.contains("cannot be read"), "\(result.stderr)")
        let list = try warren(["list", "--json"])
        let backups = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any]
        #expect(backups?.isEmpty == true, "nothing registered: \(list.stdout)")
    }
}
