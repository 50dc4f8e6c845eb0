import Foundation
import Testing

/// Issue 13: `-q/--quiet` and `-v/--verbose` on every command, before or after it.
@Suite struct VerbosityEndToEndTests {
    @Test func quietDropsSummariesAndVerboseAddsDetails() throws {
        let work = NSTemporaryDirectory() + "warren-verbosity-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        try SyntheticBackup.make(at: work + "/a")
        try SyntheticBackup.make(at: work + "/b")

        // register: the summary line on stderr, not under --quiet; the id on stdout either way.
        let normal = try Warren.run(["register", work + "/a", "--node", "rabbit@a"], repo: repo)
        #expect(normal.status == 0 && normal.stderr.contains("Added to the repository:"), "\(normal.stderr)")
        let quiet = try Command.run(Warren.binary, ["-q", "register", work + "/b", "--node", "rabbit@a", "--repo", repo])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        #expect(Int(quiet.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) != nil, "\(quiet.stdout)")

        // list: nothing on stderr, the repository used under --verbose (either side).
        let list = try Warren.run(["list"], repo: repo)
        #expect(list.status == 0 && list.stderr.isEmpty, "\(list.stderr)")
        for arguments in [["--verbose", "list", "--repo", repo], ["list", "-v", "--repo", repo]] {
            let verbose = try Command.run(Warren.binary, arguments)
            #expect(verbose.status == 0 && verbose.stdout == list.stdout, "\(arguments)")
            #expect(verbose.stderr == "warren: repository \(repo)\n", "\(verbose.stderr)")
        }

        // verify: the same result either way; quiet and verbose together are a usage error.
        let verified = try Warren.run(["verify", "1", "--quiet"], repo: repo)
        #expect(verified.status == 0 && verified.stderr.isEmpty && verified.stdout.contains("VIABLE"), "\(verified.stdout)\(verified.stderr)")
        let both = try Warren.run(["verify", "1", "-q", "-v"], repo: repo)
        #expect(both.status == 64 && both.stderr.contains("--quiet and --verbose exclude each other"), "\(both.stderr)")
    }

    /// `register -v` prints the seconds of each ingest phase, one stderr line each, in the
    /// order they run (`Tools/bench register` reads the manifest write's); without -v, none.
    @Test func verboseRegisterPrintsEachPhase() throws {
        let work = NSTemporaryDirectory() + "warren-phases-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--no-encryption", "--repo", repo])
        try SyntheticBackup.make(at: work + "/a")

        let verbose = try Warren.run(["register", work + "/a", "--node", "rabbit@a", "-v"], repo: repo)
        #expect(verbose.status == 0, "\(verbose.stderr)")
        let phases = verbose.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("warren: phase ") }
        let names = ["scan", "store objects", "sync", "count messages", "manifest write", "catalog commit"]
        #expect(phases.count == names.count, "\(verbose.stderr)")
        for (line, name) in zip(phases, names) {
            let prefix = "warren: phase \(name): "
            let seconds = line.hasPrefix(prefix) && line.hasSuffix(" s") ? Double(line.dropFirst(prefix.count).dropLast(2)) : nil
            #expect(seconds.map { $0 >= 0 } == true, "\(line) is not '\(prefix)N.NNN s'")
        }

        let normal = try Warren.run(["register", work + "/a", "--node", "rabbit@a"], repo: repo)
        #expect(normal.status == 0 && !normal.stderr.contains("warren: phase "), "\(normal.stderr)")
    }

    /// Every command (but the hidden internal-guard) has both flags, as `--experimental-dump-help` shows.
    @Test func everyCommandHasQuietAndVerbose() throws {
        let dump = try Command.check(Warren.binary, ["--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.utf8)) as? [String: Any])
        var leaves: [(String, [String])] = []
        func walk(_ command: [String: Any], path: String) {
            let name = command["commandName"] as? String ?? "?"
            let here = path.isEmpty ? name : path + " " + name
            let subcommands = command["subcommands"] as? [[String: Any]] ?? []
            if subcommands.isEmpty, command["shouldDisplay"] as? Bool != false {
                let names = (command["arguments"] as? [[String: Any]] ?? []).flatMap { ($0["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
                leaves.append((here, names))
            }
            for sub in subcommands { walk(sub, path: here) }
        }
        walk(try #require(root["command"] as? [String: Any]), path: "")
        #expect(leaves.count >= 25, "\(leaves.map(\.0))")
        for (path, names) in leaves where !path.hasSuffix(" help") {
            #expect(names.contains("quiet") && names.contains("q") && names.contains("verbose") && names.contains("v"), "\(path): \(names)")
        }
    }
}
