import Foundation
import Testing

/// Issue 13: text output fits 80 columns by default (`list`, `verify`), `--wide` shows the rest,
/// and `register` ends with a summary line like restic's.
@Suite struct TextWidthEndToEndTests {
    static func widest(_ text: String) -> Int {
        text.split(separator: "\n").map(\.count).max() ?? 0
    }

    /// Before: `list` was 170 columns wide and `verify` 157.
    @Test func listAndVerifyFitEightyColumns() throws {
        let work = NSTemporaryDirectory() + "warren-width-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        let node = "rabbit@" + String(repeating: "long-host-name.", count: 5) + "example.com"
        var ids: [String] = []
        for n in 1...2 {
            try SyntheticBackup.make(at: work + "/b\(n)")
            let registered = try Warren.run(["register", work + "/b\(n)", "--node", node, "--label", String(repeating: "nightly ", count: 8)], repo: repo)
            #expect(registered.status == 0, "\(registered.stderr)")
            ids.append(registered.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            // The summary line, on stderr (stdout stays the id).
            #expect(Int(ids.last!) != nil)
            #expect(registered.stderr.contains("Added to the repository: ") && registered.stderr.contains("processed 5 files (") && registered.stderr.contains(" s\n"),
                    "\(registered.stderr)")
        }
        try Command.check(Warren.binary, ["pin", ids[0], "--note", "kept for the audit of the year", "--repo", repo])

        let list = try Command.check(Warren.binary, ["list", "--repo", repo])
        #expect(Self.widest(list) <= 80, "\(list)")
        #expect(list.contains("TAKEN AT (UTC)") && list.contains("rabbit@long-host") && list.contains("…") && list.contains("unverified"), "\(list)")
        let wide = try Command.check(Warren.binary, ["list", "--wide", "--repo", repo])
        #expect(Self.widest(wide) > 80 && wide.contains(node) && wide.contains("pinned: kept for the audit of the year") && wide.contains("DEFS"), "\(wide)")

        let verify = try Warren.run(["verify", ids[1]], repo: repo)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(Self.widest(verify.stdout) <= 80, "\(verify.stdout)")
        let verifyWide = try Warren.run(["verify", ids[1], "--wide"], repo: repo)
        // The same words, only not wrapped.
        let words = { (text: String) in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) }
        #expect(words(verifyWide.stdout) == words(verify.stdout))
        #expect(Self.widest(verifyWide.stdout) > 80, "\(verifyWide.stdout)")
    }
}
