import Foundation

/// Warren's configuration file, like pgBackRest's `/etc/pgbackrest/pgbackrest.conf`:
/// `$WARREN_CONFIG` when set (it must exist), else `/etc/warren/warren.conf` when it exists.
///
/// One `key = value` a line; `#` starts a comment line; blank lines are ignored. Values are
/// taken as written (no quotes needed). Precedence, everywhere: flags > environment > file.
///
///     # /etc/warren/warren.conf
///     repo = /srv/warren
///     rabbitmqctl = /usr/local/sbin/warren-rabbitmqctl
///     lock-timeout = 30
///     log-format = json
///     socket = /run/warren/warren.sock
///     pre-hook = /usr/local/sbin/pause-consumers
///     post-hook = /usr/local/sbin/resume-consumers
public struct ConfigurationFile: Sendable, Equatable {
    /// The keys the file may set.
    public enum Key: String, Sendable, CaseIterable {
        /// The repository (else `--repo`, `$WARREN_REPO`).
        case repo
        /// The rabbitmqctl to run (else `--rabbitmqctl`, `$WARREN_RABBITMQCTL`).
        case rabbitmqctl
        /// Seconds a writer waits for the repository lock (else `--lock-timeout`).
        case lockTimeout = "lock-timeout"
        /// `warren serve`'s log format, text or json (else `--log-format`).
        case logFormat = "log-format"
        /// The service's Unix socket: where `warren serve` listens, and the `--socket` that
        /// list, show, verify and schedule use by default (else `--socket`).
        case socket
        /// `warren backup`'s pre-hook and post-hook commands (else `--pre-hook`, `--post-hook`).
        case preHook = "pre-hook"
        case postHook = "post-hook"
    }

    /// Used when `$WARREN_CONFIG` is not set, if it exists.
    public static let defaultPath = "/etc/warren/warren.conf"

    public var path: String
    public var values: [Key: String]

    public init(path: String, values: [Key: String]) {
        self.path = path
        self.values = values
    }

    /// The file `environment` points at (`WARREN_CONFIG`), else the default one if it exists, else nil.
    /// - Throws: ``WarrenError/configurationInvalid(path:line:reason:)`` for a missing
    ///   `$WARREN_CONFIG` file, an unreadable file or a bad line.
    public static func load(environment: [String: String]) throws -> ConfigurationFile? {
        let explicit = environment["WARREN_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = explicit ?? defaultPath
        guard FileManager.default.fileExists(atPath: path) else {
            guard let explicit else { return nil }
            throw WarrenError.configurationInvalid(path: explicit, line: nil, reason: "no such file (named by WARREN_CONFIG); create it, or unset WARREN_CONFIG")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw WarrenError.configurationInvalid(path: path, line: nil, reason: "cannot be read as UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Parses the file's text; every line is checked, unknown keys are refused.
    public static func parse(_ text: String, path: String) throws -> ConfigurationFile {
        var values: [Key: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw WarrenError.configurationInvalid(path: path, line: index + 1, reason: "expected `key = value`, got `\(line)`")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard let key = Key(rawValue: name) else {
                throw WarrenError.configurationInvalid(path: path, line: index + 1, reason: "unknown key `\(name)` (known: \(Key.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard values[key] == nil else {
                throw WarrenError.configurationInvalid(path: path, line: index + 1, reason: "`\(name)` is set twice")
            }
            guard !value.isEmpty else {
                throw WarrenError.configurationInvalid(path: path, line: index + 1, reason: "`\(name)` has no value")
            }
            if key == .lockTimeout, Double(value).map({ $0 >= 0 && $0.isFinite }) != true {
                throw WarrenError.configurationInvalid(path: path, line: index + 1, reason: "lock-timeout must be 0 or more seconds (got \(value))")
            }
            if key == .logFormat, value != "text", value != "json" {
                throw WarrenError.configurationInvalid(path: path, line: index + 1, reason: "log-format must be text or json (got \(value))")
            }
            values[key] = value
        }
        return ConfigurationFile(path: path, values: values)
    }

    /// `lock-timeout`, checked by ``parse(_:path:)``.
    public var lockTimeout: Double? { values[.lockTimeout].flatMap(Double.init) }
}
