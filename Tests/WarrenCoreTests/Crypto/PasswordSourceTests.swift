import Foundation
import Testing
@testable import WarrenCore

@Suite struct PasswordSourceTests {
    static let fileVariable = PasswordSource.fileVariable
    static let commandVariable = PasswordSource.commandVariable

    struct Case: Sendable, CustomTestStringConvertible {
        var flagFile: String?
        var flagCommand: String?
        var environment: [String: String]
        var terminal: String?
        var expected: Result<PasswordSource, WarrenError>
        var testDescription: String { "file \(flagFile ?? "-") command \(flagCommand ?? "-") env \(environment.keys.sorted()) tty \(terminal ?? "-")" }
    }

    /// restic's rules: each flag beats its own variable, a file and a command together are
    /// refused wherever each came from, then the terminal, else an error.
    static let cases: [Case] = [
        Case(flagFile: "/f", environment: [:], expected: .success(.file(path: "/f"))),
        Case(environment: [fileVariable: "/env-f"], expected: .success(.file(path: "/env-f"))),
        Case(flagFile: "/f", environment: [fileVariable: "/env-f"], expected: .success(.file(path: "/f"))),
        Case(flagCommand: "pass show w", environment: [:], expected: .success(.command("pass show w"))),
        Case(environment: [commandVariable: "env cmd"], expected: .success(.command("env cmd"))),
        Case(flagCommand: "cmd", environment: [commandVariable: "env cmd"], expected: .success(.command("cmd"))),
        Case(flagFile: "/f", environment: [commandVariable: "env cmd"],
             expected: .failure(.crypto(.passwordSourcesConflict(file: "/f", command: "env cmd")))),
        Case(environment: [fileVariable: "/env-f", commandVariable: "env cmd"],
             expected: .failure(.crypto(.passwordSourcesConflict(file: "/env-f", command: "env cmd")))),
        Case(flagFile: "/f", flagCommand: "cmd", environment: [:], terminal: "/dev/tty",
             expected: .failure(.crypto(.passwordSourcesConflict(file: "/f", command: "cmd")))),
        Case(environment: [fileVariable: "", commandVariable: ""], terminal: "/dev/tty", expected: .success(.terminal(path: "/dev/tty"))),
        Case(environment: ["RESTIC_PASSWORD": "not ours"], expected: .failure(.crypto(.noPasswordSource))),
    ]

    @Test(arguments: cases) func resolution(_ c: Case) {
        let result = Result { () throws(WarrenError) -> PasswordSource in
            do {
                return try PasswordSource.resolve(passwordFile: c.flagFile, passwordCommand: c.flagCommand, environment: c.environment, terminal: c.terminal)
            } catch let error as WarrenError { throw error } catch { fatalError("\(error)") }
        }
        #expect(result == c.expected)
    }

    @Test func noSourceIsExitTwoWithTheWaysToGiveOne() {
        let error = WarrenError.crypto(.noPasswordSource)
        #expect(error.exitCode == 2)
        #expect(error.description.contains("--password-file FILE"))
        #expect(error.description.contains("WARREN_PASSWORD_FILE") && error.description.contains("WARREN_PASSWORD_COMMAND"))
        #expect(WarrenError.crypto(.passwordSourcesConflict(file: "a", command: "b")).exitCode == 64)
    }

    // MARK: files

    func write(_ dir: TemporaryDirectory, _ name: String, _ bytes: [UInt8], mode: mode_t = 0o600) throws -> String {
        let path = dir.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
        return path
    }

    @Test func aFileIsTrimmedAsResticDoes() throws {
        let dir = TemporaryDirectory()
        for (content, expected) in [("s3cret\n", "s3cret"), ("  two words \r\n", "two words"), ("\u{FEFF}bom\n", "bom"), ("multi\nline\n", "multi\nline")] {
            let path = try write(dir, "p", Array(content.utf8))
            #expect(try PasswordSource.file(path: path).read() == Password(expected))
        }
        let link = dir.file("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: dir.file("p"))
        #expect(try PasswordSource.file(path: link).read() == Password("multi\nline"))  // followed
        let group = try write(dir, "g", Array("shared\n".utf8), mode: 0o640)
        #expect(try PasswordSource.file(path: group).read() == Password("shared"))
    }

    @Test func unusableFilesAreRefusedByName() throws {
        let dir = TemporaryDirectory()
        let missing = dir.file("missing")
        #expect(throws: WarrenError.crypto(.passwordFileUnreadable(path: missing, errno: ENOENT))) { try PasswordSource.file(path: missing).read() }
        let empty = try write(dir, "empty", Array(" \n".utf8))
        #expect(throws: WarrenError.crypto(.emptyPassword(source: "password file \(empty)"))) { try PasswordSource.file(path: empty).read() }
        let open = try write(dir, "open", Array("pw".utf8), mode: 0o644)
        #expect(throws: WarrenError.crypto(.passwordFileExposed(path: open, mode: UInt32(S_IFREG | 0o644)))) { try PasswordSource.file(path: open).read() }
        #expect(WarrenError.crypto(.passwordFileExposed(path: open, mode: UInt32(S_IFREG | 0o644))).description.hasSuffix("(mode 644); run `chmod o-rwx \(open)`"))
        #expect(throws: WarrenError.crypto(.passwordFileInvalid(path: dir.path, reason: "is a directory, not a file"))) { try PasswordSource.file(path: dir.path).read() }
        let big = try write(dir, "big", [UInt8](repeating: 0x61, count: 70_000))
        #expect(throws: WarrenError.crypto(.passwordFileInvalid(path: big, reason: "is larger than 64 KiB: not a password file"))) { try PasswordSource.file(path: big).read() }
        #expect(throws: WarrenError.crypto(.emptyPassword(source: "password file /dev/null"))) { try PasswordSource.file(path: "/dev/null").read() }
    }

    @Test func aPipeWorksAsAPasswordFile() throws {
        let dir = TemporaryDirectory()
        let fifo = dir.file("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "printf 'from a pipe\\n' > '\(fifo)'"]
        try writer.run()
        #expect(try PasswordSource.file(path: fifo).read() == Password("from a pipe"))
        writer.waitUntilExit()
    }

    // MARK: commands

    @Test func aCommandsOutputIsThePassword() throws {
        #expect(try PasswordSource.command("printf '  from a command \\n'").read() == Password("from a command"))
        setenv("WARREN_PASSWORD_TEST_INHERITED", "from the environment", 1)
        #expect(try PasswordSource.command("echo \"$WARREN_PASSWORD_TEST_INHERITED\"").read() == Password("from the environment"))
        #expect(throws: WarrenError.crypto(.emptyPassword(source: "password command `cat`"))) { try PasswordSource.command("cat").read() }  // stdin is /dev/null
    }

    @Test func failingCommandsSayHow() {
        #expect(throws: WarrenError.crypto(.passwordCommandFailed(command: "echo pw; exit 3", detail: "exited with status 3"))) {
            try PasswordSource.command("echo pw; exit 3").read()
        }
        #expect(throws: WarrenError.crypto(.passwordCommandFailed(command: "kill -9 $$", detail: "was killed by signal 9"))) {
            try PasswordSource.command("kill -9 $$").read()
        }
        #expect(throws: WarrenError.crypto(.passwordCommandFailed(command: "no-such-helper-xyz 2>/dev/null", detail: "exited with status 127"))) {
            try PasswordSource.command("no-such-helper-xyz 2>/dev/null").read()
        }
        let flood = "head -c 70000 /dev/zero | tr '\\0' a"
        #expect(throws: WarrenError.crypto(.passwordCommandFailed(command: flood, detail: "printed more than 64 KiB: not a password"))) {
            try PasswordSource.command(flood).read()
        }
    }

    @Test func aHangingCommandIsKilledAtItsTimeout() {
        #expect(throws: WarrenError.crypto(.passwordCommandFailed(command: "exec sleep 600", detail: "did not finish within 1 s and was killed"))) {
            try PasswordSource.command("exec sleep 600").read(commandTimeout: 1)
        }
    }

    /// A helper that leaves a process holding the pipe (an agent it started) does not keep
    /// Warren waiting once the helper itself has exited.
    @Test func aDaemonLeftHoldingThePipeIsNotWaitedFor() throws {
        let dir = TemporaryDirectory()
        let pidFile = dir.file("daemon.pid")
        let password = try PasswordSource.command("sleep 600 & echo $! > '\(pidFile)'; echo from-helper").read(commandTimeout: 300)
        #expect(password == Password("from-helper"))
        if let pid = Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(pid, SIGKILL)
        }
    }
}
