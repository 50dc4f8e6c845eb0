import ArgumentParser
import Foundation
import Logging
import WarrenCore
import WarrenServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the repository over an HTTP/JSON API on a Unix socket (see README: The Warren service).",
        discussion: """
            The socket (default: the configuration file's socket, else REPO/warren.sock) gets --socket-mode and --socket-group before
            any client can reach it. A stale socket file is replaced; one answered by a live
            server is refused. --listen adds a TCP listener that requires
            `Authorization: Bearer <token>` (the first line of --token-file) on every request.
            An s3: repository is served from this host's cache of its catalog (socket default:
            warren.sock in that cache directory), which reads the bucket's changes every
            --sync-interval seconds. SIGTERM/SIGINT: stop accepting, cancel waiting jobs, stop running ones at their next
            safe point, release the lock, remove the socket. Logs go to stderr.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("Unix socket path (default: the configuration file's socket, else REPO/warren.sock).", valueName: "path"))
    var socket: String?

    @Option(name: .customLong("socket-mode"), help: ArgumentHelp("Octal file mode of the socket.", valueName: "mode"))
    var socketMode: String = "0660"

    @Option(name: .customLong("socket-group"), help: ArgumentHelp("Group (name or gid) that owns the socket.", valueName: "group"))
    var socketGroup: String?

    @Option(help: ArgumentHelp("Also listen on TCP, e.g. 127.0.0.1:8080 (needs --token-file).", valueName: "host:port"))
    var listen: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("File holding the TCP listener's bearer token (not readable by others).", valueName: "file"))
    var tokenFile: String?

    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: String = "info"

    @Option(name: .customLong("log-format"), help: ArgumentHelp("text, or json (one object per line, for journald and log shippers); default: the configuration file's log-format, else text.", valueName: "format"))
    var logFormatOption: String?

    /// The option, else the configuration file's `log-format`, else text.
    var logFormat: String { logFormatOption ?? Configured.value(.logFormat) ?? "text" }

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Seconds before an idle connection, or one still sending its request head, is closed.", valueName: "seconds"))
    var idleTimeout: Double = 30

    @Option(name: .customLong("sync-interval"), help: ArgumentHelp(
        "Seconds between reads of what other hosts changed in an s3: repository's bucket (new and deleted backups, pins, policies).",
        valueName: "seconds"))
    var syncInterval: Double = 60

    func validate() throws {
        guard let mode = mode_t(socketMode, radix: 8), mode <= 0o777 else {
            throw ValidationError("--socket-mode must be an octal mode such as 0660")
        }
        _ = mode
        if listen != nil && tokenFile == nil { throw ValidationError("--listen needs --token-file: the TCP listener always requires a bearer token") }
        if tokenFile != nil && listen == nil { throw ValidationError("--token-file is only used with --listen") }
        if let listen, Self.parseListen(listen) == nil { throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8080") }
        if let logFormatOption, LogFormat(rawValue: logFormatOption) == nil { throw ValidationError("--log-format must be text or json") }
        guard syncInterval >= 1, syncInterval <= 86400 else { throw ValidationError("--sync-interval must be from 1 to 86400 seconds") }
        guard idleTimeout > 0, idleTimeout <= 86400 else { throw ValidationError("--idle-timeout must be from 0 (exclusive) to 86400 seconds") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
    }

    static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        let host = String(text[..<colon])
        return host.isEmpty ? nil : (host, port)
    }

    @OptionGroup var ctl: RabbitmqctlOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() async throws {
        try await CommandRunner.runAsync(json: false) {
            // An s3: repository is served from this host's cache of its catalog, synchronised
            // with the bucket every --sync-interval seconds.
            let connection = try repository.s3Connection()
            let repoPath = connection == nil ? try repository.path : repository.location
            var token: String?
            if let tokenFile {
                var info = stat()
                guard stat(tokenFile, &info) == 0, let data = FileManager.default.contents(atPath: tokenFile) else {
                    throw WarrenError.invalidArgument(name: "--token-file", reason: "cannot read \(tokenFile)")
                }
                guard info.st_mode & 0o077 == 0 else {
                    throw WarrenError.invalidArgument(name: "--token-file", reason: "\(tokenFile) is readable by group or others; chmod 600 it")
                }
                token = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) }
                guard let token, token.count >= 16 else {
                    throw WarrenError.invalidArgument(name: "--token-file", reason: "\(tokenFile) must hold a token of at least 16 characters on its first line")
                }
            }
            let level = Logger.Level(rawValue: logLevel) ?? .info
            let format = LogFormat(rawValue: logFormat) ?? .text
            LoggingSystem.bootstrap { label in
                switch format {
                case .text:
                    var handler = StreamLogHandler.standardError(label: label)
                    handler.logLevel = level
                    return handler
                case .json:
                    var handler = JSONLogHandler(label: label)
                    handler.logLevel = level
                    return handler
                }
            }
            let logger = Logger(label: "warren.serve")
            let configuration = ServeConfiguration(
                repositoryPath: repoPath,
                // Nil: WarrenService puts warren.sock in the repository's directory (the cache's, on s3:).
                socketPath: socket ?? Configured.value(.socket),
                socketMode: mode_t(socketMode, radix: 8)!, socketGroup: socketGroup, listen: listen.flatMap(Self.parseListen), token: token,
                rabbitmqctl: ctl.rabbitmqctl)
            var settings = configuration
            settings.s3 = connection
            settings.bucketSyncInterval = syncInterval
            settings.idleTimeout = idleTimeout
            settings.guardLauncher = GuardLauncher.current
            settings.configuredRetention = Configured.file?.retention
            settings.configuredSchedules = Configured.file?.schedules ?? []
            let (passwordFile, passwordCommand) = (repository.passwordFile, repository.passwordCommand)
            settings.password = {
                try PasswordSource.resolve(
                    passwordFile: passwordFile, passwordCommand: passwordCommand,
                    environment: ProcessInfo.processInfo.environment, terminal: RepositoryOptions.terminal).read()
            }
            try await WarrenService.run(settings, logger: logger)
        }
    }
}
