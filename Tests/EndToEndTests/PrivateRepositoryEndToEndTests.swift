import Foundation
import Testing
@testable import WarrenCore

/// Issue 17 §5: a repository is private by default whatever the umask; `init --group`
/// lets one group read it (list, show, verify); `check` finds and repairs what other users
/// can read in an older repository. The other users are real: `setpriv` runs commands as
/// `nobody` (tests run as root here), with or without a throwaway group.
@Suite(.serialized) struct PrivateRepositoryEndToEndTests {
    /// A work directory that every user may search, so that only the repository's own modes
    /// keep `nobody` out (a control file beside it proves that `nobody` gets that far).
    struct Work {
        let path = NSTemporaryDirectory() + "warren-private-\(UUID().uuidString)"
        var repo: String { path + "/repo" }
        var control: String { path + "/control.txt" }

        init() throws {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            chmod(path, 0o755)
            try SyntheticBackup.make(at: path + "/b")
            try Data("readable by all\n".utf8).write(to: URL(fileURLWithPath: control))
            chmod(control, 0o644)
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }

        /// `warren ARGS --repo REPO` under `umask`, as root.
        @discardableResult
        func warren(_ arguments: [String], umask: String = "022") throws -> String {
            try Command.check("/bin/sh", ["-c", "umask \(umask) && exec \"$0\" \"$@\"", Warren.binary] + arguments + ["--repo", repo])
        }

        /// Every path below (and including) the repository, and each one's mode.
        func entries() throws -> [(path: String, mode: mode_t)] {
            var all: [(String, mode_t)] = []
            func walk(_ p: String) throws {
                let st = try Posix.lstatOrThrow(p)
                all.append((p, st.mode))
                if st.isDirectory { for name in try Posix.listDirectory(p) { try walk(p + "/" + name) } }
            }
            try walk(repo)
            return all
        }
    }

    /// `setpriv` as `nobody`, with `groups` as its only supplementary groups.
    static func asNobody(groups: [gid_t] = [], _ program: String, _ arguments: [String]) throws -> CommandResult {
        let groupArguments = groups.isEmpty ? ["--clear-groups"] : ["--groups", groups.map(String.init).joined(separator: ",")]
        return try Command.run("/usr/bin/setpriv", ["--reuid", "nobody", "--regid", "nogroup"] + groupArguments + [program] + arguments)
    }

    /// The paths among `paths` that `nobody` can open for reading (`test -r` uses the real ids).
    static func readableByNobody(_ paths: [String], groups: [gid_t] = []) throws -> [String] {
        let result = try asNobody(groups: groups, "/bin/sh", ["-c", "for f in \"$@\"; do [ -r \"$f\" ] && echo \"$f\"; done; exit 0", "sh"] + paths)
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test func nobodyCannotReadAnyFileOfANewRepositoryUnderUmask022() throws {
        let work = try Work()
        defer { work.remove() }
        try work.warren(["init"])
        let id = try work.warren(["register", work.path + "/b", "--node", "rabbit@a"]).split(separator: "\n").first.map(String.init) ?? ""
        try work.warren(["pin", id, "--note", "keep"])
        try work.warren(["verify", id])
        try work.warren(["policy", "set", "--default", "--keep-last", "3"])
        try work.warren(["check"])

        let entries = try work.entries()
        let files = entries.filter { $0.mode & S_IFMT == S_IFREG }
        // Objects, manifest, pin/verdict/policy documents, catalog with its kept -wal/-shm, lock.
        #expect(files.count >= 8, "\(files.map(\.path))")
        for name in ["catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", "lock", StorageName.manifest(backupID: Int64(id) ?? 0).path] {
            #expect(files.contains { $0.path == work.repo + "/" + name }, "\(name) missing")
        }
        let exposed = entries.filter { $0.mode & 0o077 != 0 }.map { "\($0.path) \(String($0.mode & 0o7777, radix: 8))" }
        #expect(exposed.isEmpty, "\(exposed)")
        #expect(entries.filter { $0.mode & S_IFMT == S_IFDIR }.allSatisfy { $0.mode & 0o7777 == 0o700 })

        // The control file beside the repository is readable: the check below can fail.
        #expect(try Self.readableByNobody([work.control]) == [work.control])
        #expect(try Self.readableByNobody(files.map(\.path)) == [])
        let cat = try Self.asNobody("/bin/cat", [work.repo + "/catalog.sqlite"])
        #expect(cat.status != 0 && cat.stderr.contains("Permission denied"), "\(cat)")
        let list = try Self.asNobody(Warren.binary, ["list", "--repo", work.repo])
        #expect(list.status != 0, "\(list)")
        // No capture file of a broker call or temporary file is left behind.
        #expect(try Posix.listDirectory(work.repo + "/tmp") == [])
    }

    @Test func membersOfTheGroupRunListShowAndVerifyButNobodyElse() throws {
        let work = try Work()
        defer { work.remove() }
        let group = "warren-test-\(getpid())"
        try Command.check("/usr/sbin/groupadd", [group])
        defer { _ = try? Command.run("/usr/sbin/groupdel", [group]) }
        guard let entry = getgrnam(group) else { Issue.record("groupadd made no \(group)"); return }
        let gid = entry.pointee.gr_gid

        // umask 077 would make everything owner-only: the group's modes are set explicitly.
        try work.warren(["init", "--no-encryption", "--group", group], umask: "077")   // plaintext: the member has no password
        let id = try work.warren(["register", work.path + "/b", "--node", "rabbit@a"], umask: "077")
            .split(separator: "\n").first.map(String.init) ?? ""
        try work.warren(["pin", id, "--note", "keep"], umask: "077")
        let ownerVerify = try JSONSerialization.jsonObject(with: Data(try work.warren(["verify", id, "--full", "--json"]).utf8)) as? [String: Any]
        let ownerList = try work.warren(["list", "--json"])
        let ownerShow = try work.warren(["show", id, "--json"])

        let entries = try work.entries()
        #expect(entries.allSatisfy { $0.mode & 0o007 == 0 }, "\(entries.filter { $0.mode & 0o007 != 0 }.map(\.path))")
        for e in entries where e.mode & S_IFMT == S_IFDIR { #expect(e.mode & 0o7777 == 0o2750, "\(e.path)") }
        for e in entries where e.mode & S_IFMT == S_IFREG {
            #expect([0o640, 0o440].contains(e.mode & 0o777), "\(e.path) \(String(e.mode & 0o777, radix: 8))")
            #expect(try Posix.lstatOrThrow(e.path).gid == gid, "\(e.path)")
        }

        let member = { (arguments: [String]) in try Self.asNobody(groups: [gid], Warren.binary, arguments + ["--repo", work.repo]) }
        let list = try member(["list", "--json"])
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout == ownerList)
        let show = try member(["show", id, "--json"])
        #expect(show.status == 0, "\(show)")
        #expect(show.stdout == ownerShow)
        let verify = try member(["verify", id, "--full", "--json"])
        #expect(verify.status == 0, "\(verify)")
        let verdict = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any]
        #expect(verdict?["verdict"] as? String != nil)
        #expect(verdict?["verdict"] as? String == ownerVerify?["verdict"] as? String, "\(verify.stdout)")
        // A member only reads: the verdict was reported, not recorded.
        #expect(try work.warren(["show", id, "--json"]) == ownerShow)
        let write = try member(["pin", id, "--note", "mine"])
        #expect(write.status != 0, "\(write)")

        let stranger = try Self.asNobody(Warren.binary, ["list", "--repo", work.repo])
        #expect(stranger.status != 0, "\(stranger)")
        #expect(try Self.readableByNobody(entries.filter { $0.mode & S_IFMT == S_IFREG }.map(\.path)) == [])
    }

    /// Issue 17 §5: `export` writes definitions (password hashes) and store files (message
    /// bodies): 0600 files in 0700 directories, under a umask that would widen them (000) and
    /// one that would narrow them (0277).
    @Test func exportWritesOwnerOnlyFilesWhateverTheUmask() throws {
        let work = try Work()
        defer { work.remove() }
        try work.warren(["init"])
        let id = try work.warren(["register", work.path + "/b", "--node", "rabbit@a"]).split(separator: "\n").first.map(String.init) ?? ""
        for umask in ["000", "0277"] {
            let exported = work.path + "/export-\(umask)/deeper"
            try work.warren(["export", id, exported], umask: umask)
            var files: [(String, mode_t)] = [], directories: [(String, mode_t)] = []
            func walk(_ p: String) throws {
                let st = try Posix.lstatOrThrow(p)
                if st.isDirectory {
                    directories.append((p, st.mode & 0o7777))
                    for name in try Posix.listDirectory(p) { try walk(p + "/" + name) }
                } else {
                    files.append((p, st.mode & 0o7777))
                }
            }
            try walk(exported)
            #expect(files.contains { $0.0 == exported + "/definitions.json" } && files.count >= 3, "\(files)")
            #expect(files.filter { $0.1 != 0o600 }.isEmpty, "umask \(umask): \(files.map { "\($0.0) \(String($0.1, radix: 8))" })")
            #expect(directories.count >= 4 && directories.allSatisfy { $0.1 == 0o700 },
                    "umask \(umask): \(directories.map { "\($0.0) \(String($0.1, radix: 8))" })")
            if umask == "000" {
                // The export's parent (made by the umask, 0777) lets nobody reach DIR: only DIR's own mode keeps it out.
                #expect(try Self.readableByNobody([exported + "/definitions.json", work.control]) == [work.control])
            }
        }
    }

    @Test func unknownGroupIsRefusedAndNothingIsCreated() throws {
        let work = try Work()
        defer { work.remove() }
        let result = try Command.run(Warren.binary, ["init", "--group", "warren-no-such-group", "--repo", work.repo])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("no group named 'warren-no-such-group'"), "\(result.stderr)")
        #expect(try Posix.lstatIfExists(work.repo) == nil)
    }

    /// A restore moves the node's vhost directories into `aside/ID/` with the node's own modes
    /// (kept for a rollback); the private `aside/ID` keeps others out, so check accepts them,
    /// and reports `aside/ID` itself once it is opened up.
    @Test func movedAsideNodeDataKeepsItsModesBehindAPrivateDirectory() throws {
        let work = try Work()
        defer { work.remove() }
        try work.warren(["init"])
        let entry = work.repo + "/aside/20261202T061500Z-rabbit@a"
        try RepositoryAccess.ownerOnly.makeDirectories(entry)
        let vhost = entry + "/628WB79CIFDYO9LJI6DKMI09L"
        #expect(mkdir(vhost, 0o755) == 0 && chmod(vhost, 0o755) == 0)
        #expect(FileManager.default.createFile(atPath: vhost + "/0.rdq", contents: Data("body".utf8), attributes: [.posixPermissions: 0o644]))
        func exposed() throws -> [[String: Any]] {
            let dry = try Warren.run(["check", "--dry-run", "--json"], repo: work.repo)
            let findings = (try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]] ?? []
            return findings.filter { $0["code"] as? String == "repository_world_readable" }
        }
        #expect(try exposed().isEmpty)
        chmod(entry, 0o755)
        let found = try exposed()
        #expect(found.count == 1 && found.first?["count"] as? Int == 1, "\(found)")
        #expect((found.first?["message"] as? String ?? "").contains(entry + " (755)"), "\(found)")
    }

    @Test func checkReportsAndRepairsWhatOtherUsersCanRead() throws {
        let work = try Work()
        defer { work.remove() }
        try work.warren(["init"])
        try work.warren(["register", work.path + "/b", "--node", "rabbit@a"])
        // As the previous release left a repository.
        chmod(work.repo, 0o755)
        chmod(work.repo + "/catalog.sqlite", 0o644)
        chmod(work.repo + "/objects/00", 0o755)

        let dry = try Warren.run(["check", "--dry-run", "--json"], repo: work.repo)
        let dryFindings = (try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]] ?? []
        let found = dryFindings.filter { $0["code"] as? String == "repository_world_readable" }
        #expect(found.count == 1, "\(dry.stdout)")
        // The root, catalog.sqlite, objects/00, and catalog.sqlite-wal: SQLite gives an empty
        // WAL the database file's mode whenever it opens it.
        #expect(found.first?["count"] as? Int == 4)
        #expect(found.first?["fixed"] as? Bool == false)
        #expect((found.first?["message"] as? String ?? "").contains(work.repo + "/catalog.sqlite (644)"))
        #expect(try Posix.lstatOrThrow(work.repo + "/catalog.sqlite").mode & 0o777 == 0o644, "a dry run changes nothing")

        let repair = try Warren.run(["check", "--json"], repo: work.repo)
        let repaired = try JSONSerialization.jsonObject(with: Data(repair.stdout.utf8)) as? [String: Any]
        let fixed = (repaired?["findings"] as? [[String: Any]] ?? []).filter { $0["code"] as? String == "repository_world_readable" }
        #expect(fixed.first?["fixed"] as? Bool == true, "\(String(describing: repaired))")
        #expect(try Posix.lstatOrThrow(work.repo).mode & 0o7777 == 0o750)
        #expect(try Posix.lstatOrThrow(work.repo + "/catalog.sqlite").mode & 0o777 == 0o640)
        #expect(try Posix.lstatOrThrow(work.repo + "/objects/00").mode & 0o7777 == 0o750)

        let again = try Warren.json(["check"], repo: work.repo) as? [String: Any]  // clean: exit 0
        #expect(!(again?["findings"] as? [[String: Any]] ?? []).contains { $0["code"] as? String == "repository_world_readable" })
    }
}
