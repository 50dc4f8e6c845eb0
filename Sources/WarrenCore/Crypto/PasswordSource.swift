import Foundation

/// Where the repository password comes from, resolved with restic's conventions so that the
/// CLI and `warren serve` agree:
///
/// 1. `--password-file FILE`, else `$WARREN_PASSWORD_FILE`;
/// 2. `--password-command CMD`, else `$WARREN_PASSWORD_COMMAND` (run with `/bin/sh -c`,
///    its standard output is the password);
/// 3. a file and a command together are refused (``CryptoError/passwordSourcesConflict(file:command:)``),
///    whichever of flag and variable each came from;
/// 4. with neither, a prompt without echo on the terminal, when there is one;
/// 5. otherwise ``CryptoError/noPasswordSource`` (exit 2).
///
/// As restic does, surrounding white space (and a UTF-8 byte-order mark) is removed from
/// the file's or command's output, and an empty password is refused.
public enum PasswordSource: Sendable, Equatable {
    case file(path: String)
    case command(String)
    /// A prompt on this terminal device (normally `/dev/tty`).
    case terminal(path: String)

    public static let fileVariable = "WARREN_PASSWORD_FILE"
    public static let commandVariable = "WARREN_PASSWORD_COMMAND"

    /// - Parameters:
    ///   - passwordFile: the `--password-file` flag, if given.
    ///   - passwordCommand: the `--password-command` flag, if given.
    ///   - environment: the process environment (the variables above).
    ///   - terminal: the terminal to prompt on, or nil when prompting is impossible or
    ///     unwanted (no terminal on stdin; the service).
    public static func resolve(
        passwordFile: String? = nil, passwordCommand: String? = nil,
        environment: [String: String], terminal: String?
    ) throws -> PasswordSource {
        func given(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        let file = given(passwordFile) ?? given(environment[fileVariable])
        let command = given(passwordCommand) ?? given(environment[commandVariable])
        switch (file, command) {
        case let (file?, command?): throw WarrenError.crypto(.passwordSourcesConflict(file: file, command: command))
        case let (file?, nil): return .file(path: file)
        case let (nil, command?): return .command(command)
        case (nil, nil):
            guard let terminal else { throw WarrenError.crypto(.noPasswordSource) }
            return .terminal(path: terminal)
        }
    }

    /// Where the password came from, for messages (never the password).
    public var origin: String {
        switch self {
        case let .file(path): return "password file \(path)"
        case let .command(command): return "password command `\(command)`"
        case .terminal: return "the prompt"
        }
    }

    /// Reads the password.
    /// - Parameters:
    ///   - prompt: what the terminal prompt says.
    ///   - confirmation: for a new password on a terminal, the second prompt; the two
    ///     entries must match.
    ///   - commandTimeout: seconds the password command may take.
    public func read(
        prompt: String = "enter repository password: ", confirmation: String? = nil, commandTimeout: Double = 120
    ) throws -> Password {
        let text: [UInt8]
        switch self {
        case let .file(path):
            text = Self.trimmed(try PasswordFile.read(path))
        case let .command(command):
            text = Self.trimmed(try PasswordCommand.run(command, timeout: commandTimeout))
        case let .terminal(path):
            let terminal = try TerminalPrompt(path: path)
            text = try terminal.ask(prompt)
            if let confirmation, try terminal.ask(confirmation) != text {
                throw WarrenError.crypto(.passwordsDiffer)
            }
        }
        guard !text.isEmpty else { throw WarrenError.crypto(.emptyPassword(source: origin)) }
        return Password(bytes: text)
    }

    /// Without a leading UTF-8 byte-order mark and surrounding spaces, tabs, CR and LF.
    static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        var slice = bytes[...]
        if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        let space: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C]
        while let first = slice.first, space.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, space.contains(last) { slice = slice.dropLast() }
        return Array(slice)
    }
}
