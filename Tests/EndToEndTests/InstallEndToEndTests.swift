import Foundation
import Testing

/// Issue 13: `Tools/install PREFIX` installs the binary, the man page warren.1 and the bash,
/// zsh and fish completions, each covering every command.
@Suite struct InstallEndToEndTests {
    @Test func manPageAndCompletionsMentionEveryCommand() throws {
        let prefix = NSTemporaryDirectory() + "warren-install-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let printed = try Command.check(Command.packageRoot + "/Tools/install", [prefix, "--binary", Warren.binary])
        let files = ["bin/warren", "share/man/man1/warren.1", "share/bash-completion/completions/warren",
                     "share/zsh/site-functions/_warren", "share/fish/vendor_completions.d/warren.fish"].map { prefix + "/" + $0 }
        #expect(printed.split(separator: "\n").map(String.init) == files)
        #expect(FileManager.default.isExecutableFile(atPath: files[0]))

        // Every displayed command path, from the binary's own description of itself.
        let dump = try Command.check(files[0], ["--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.utf8)) as? [String: Any])
        var paths: [[String]] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            for sub in command["subcommands"] as? [[String: Any]] ?? [] where sub["shouldDisplay"] as? Bool != false {
                let here = path + [sub["commandName"] as? String ?? "?"]
                paths.append(here)
                walk(sub, here)
            }
        }
        walk(try #require(root["command"] as? [String: Any]), [])
        #expect(paths.count >= 30 && paths.contains(["forget"]) && paths.contains(["catalog", "rebuild"]) && !paths.contains(["guard"]), "\(paths)")

        let page = try String(contentsOfFile: files[1], encoding: .utf8)
        #expect(page.hasPrefix(".TH \"WARREN\" \"1\""))
        for path in paths {
            let heading = ".SS warren " + path.joined(separator: " ").replacingOccurrences(of: "-", with: "\\-")
            #expect(page.contains(heading + "\n"), "man page lacks \(heading)")
        }
        // groff formats it without a warning; man renders the options.
        let groff = try Command.run("/usr/bin/groff", ["-man", "-z", "-ww", files[1]])
        #expect(groff.status == 0 && groff.stderr.isEmpty, "\(groff.stderr)")
        let rendered = try Command.check("/usr/bin/man", ["-l", files[1]], environment: ["MANWIDTH": "80"])
        #expect(rendered.contains("warren forget") && rendered.contains("--keep-last") && rendered.contains("WARREN_RABBITMQCTL"))

        // The completions know every top-level command; the bash one is valid bash.
        for file in files[2...] {
            let script = try String(contentsOfFile: file, encoding: .utf8)
            for command in Set(paths.map { $0[0] }) {
                #expect(script.range(of: "\\b\(command)\\b", options: .regularExpression) != nil, "\(file) lacks \(command)")
            }
        }
        #expect(try Command.run("/bin/bash", ["-n", files[2]]).status == 0)
    }
}
