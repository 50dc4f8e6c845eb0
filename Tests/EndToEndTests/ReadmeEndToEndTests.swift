import Foundation
import Testing

/// Issue 13: every command in the README runs as written. The README's ` ```sh ` blocks run in
/// document order (state carries over: the quick start's repository and backup are what the
/// later blocks use) with `bash -euo pipefail`, against a scratch repository and two real
/// RabbitMQ nodes; a block marked `<!-- not-run: reason -->` is counted, never run. Every
/// fence must name its kind, so a command block cannot slip in unnoticed as plain text.
@Suite struct ReadmeEndToEndTests {
    /// The README's placeholders and what they become here (also listed in the README,
    /// "Development"). Applied in this order to every block before it runs.
    static func substitutions(work: String, first: RabbitNode, second: RabbitNode) -> [(placeholder: String, value: String)] {
        [
            ("/srv/warren", work + "/srv/warren"),            // the repository
            ("/root/warren-password", work + "/warren-password"), // the quick start's password file
            ("/backups/", work + "/backups/"),                // the manual backup's directory
            ("/tmp/scratch.sqlite", work + "/scratch.sqlite"), // catalog rebuild --output
            ("rabbit@mq1", first.nodeName),                   // the node backed up
            ("rabbit@mq2", second.nodeName),                  // the node restored into
        ]
    }

    static func readme() throws -> [ReadmeBlock] {
        try ReadmeBlock.parse(String(contentsOfFile: Command.packageRoot + "/README.md", encoding: .utf8))
    }

    /// The convention itself: fences name their kind, markers have a reason and sit only
    /// before shell blocks. (Checked without a broker, so it fails fast.)
    @Test func everyFenceNamesItsKindAndEveryNotRunHasAReason() throws {
        let blocks = try Self.readme()
        #expect(blocks.count > 10, "README parsed into \(blocks.count) blocks")
        for block in blocks {
            #expect(!block.kind.isEmpty, "README.md:\(block.line): a bare ``` fence; name its kind (sh, text, conf, json)")
            #expect(block.badMarker == nil, "README.md:\(block.line): not-run marker without a reason: \(block.badMarker ?? "")")
            #expect(block.notRun == nil || block.kind == "sh", "README.md:\(block.line): a not-run marker before a \(block.kind) block")
        }
    }

    @Test func shellBlocksRunAsWritten() throws {
        let blocks = try Self.readme()
        let shell = blocks.filter { $0.kind == "sh" }
        let work = NSTemporaryDirectory() + "warren-readme-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: work + "/bin", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        // `warren` on PATH is the built binary.
        try FileManager.default.createSymbolicLink(atPath: work + "/bin/warren", withDestinationPath: Warren.binary)

        try RabbitNode.with("readme-a") { first in
            try RabbitNode.with("readme-b") { second in
                let table = Self.substitutions(work: work, first: first, second: second)
                func substituted(_ text: String) -> String {
                    table.reduce(text) { $0.replacingOccurrences(of: $1.placeholder, with: $1.value) }
                }
                // A plain `rabbitmqctl` (no -n) speaks to the first node, as it would to the
                // machine's own node; WARREN_REPO and WARREN_CONFIG are not inherited. The quick
                // start exports WARREN_PASSWORD_FILE, as an operator's shell keeps it for the rest.
                let environment = [
                    "PATH": work + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                    "RABBITMQ_NODENAME": first.nodeName, "WARREN_REPO": "", "WARREN_CONFIG": "",
                    "WARREN_PASSWORD_FILE": work + "/warren-password", "WARREN_PASSWORD_COMMAND": "",
                ]
                var ran = 0
                for block in shell where block.notRun == nil {
                    let script = work + "/block-\(block.line).sh"
                    try Data(("cd '\(work)'\n" + substituted(block.text)).utf8).write(to: URL(fileURLWithPath: script))
                    // A hang guard only (a block that hangs, e.g. waiting for a server that died).
                    let result = try Command.run("/usr/bin/timeout", ["900", "/bin/bash", "-euo", "pipefail", script], environment: environment)
                    #expect(result.status == 0, "README.md:\(block.line): the block exited \(result.status)\n\(block.text)--- stdout\n\(result.stdout)--- stderr\n\(result.stderr)")
                    ran += 1
                }
                // Configuration examples are accepted as they stand (with the placeholders;
                // `--socket ''` because an example may name the service's socket).
                for block in blocks where block.kind == "conf" {
                    let file = work + "/config-\(block.line).conf"
                    try Data(substituted(block.text).utf8).write(to: URL(fileURLWithPath: file))
                    let result = try Command.run(Warren.binary, ["list", "--socket", ""], environment: environment.merging(["WARREN_CONFIG": file]) { $1 })
                    #expect(result.status == 0, "README.md:\(block.line): the configuration example is refused: \(result.stderr)")
                }
                let skipped = shell.filter { $0.notRun != nil }
                #expect(ran > 0)
                print("README: \(ran) sh blocks run, \(skipped.count) not run: "
                      + skipped.map { "line \($0.line) (\($0.notRun!))" }.joined(separator: "; "))
            }
        }
    }
}
