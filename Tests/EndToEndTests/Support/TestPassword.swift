import Foundation

/// The password every `warren` a test starts runs with, now that `warren init` encrypts by
/// default (issue 10, slice 4): the one place that gives it, so that the tests need not each
/// make a password file. `WARREN_PASSWORD_FILE` names a private (0600) file made once per
/// test process; a test that gives its own password source (either variable, even empty, or
/// `--password-file`/`--password-command`) gets exactly what it gave. Tests about plaintext
/// repositories pass `init --no-encryption` (which ignores the variable).
enum TestPassword {
    static let fileVariable = "WARREN_PASSWORD_FILE", commandVariable = "WARREN_PASSWORD_COMMAND"

    /// No password at all (the variable set empty counts as unset).
    static let none = [fileVariable: ""]

    /// The shared password file.
    static let file: String = {
        let path = NSTemporaryDirectory() + "warren-test-password-\(getpid())"
        unlink(path)
        FileManager.default.createFile(atPath: path, contents: Data("end-to-end test password\n".utf8), attributes: [.posixPermissions: 0o600])
        return path
    }()

    /// `environment` with the shared password file added, unless the test chose its own source.
    static func environment(_ environment: [String: String], arguments: [String]) -> [String: String] {
        let own = environment.keys.contains(fileVariable) || environment.keys.contains(commandVariable)
            || arguments.contains { $0 == "--password-file" || $0 == "--password-command" || $0.hasPrefix("--password-file=") || $0.hasPrefix("--password-command=") }
        return own ? environment : environment.merging([fileVariable: file]) { given, _ in given }
    }
}
