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
///     keep-daily = 7
///
///     [node rabbit@mq1]
///     keep-last = 24
///     at = Mon..Fri 02:30
///     jitter = 10m
///     stop-app = yes
///
/// The `keep-*` keys at the top are every node's default policy; a `[node NAME]` section
/// sets one node's policy and its schedule (see ``ConfigurationSectionKey``).
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
    /// The policies of the top's `keep-*` keys and of the node sections.
    public var retention: ConfiguredRetention
    /// The node sections' schedules, in the file's order.
    public var schedules: [ConfiguredSchedule]

    public init(path: String, values: [Key: String], retention: ConfiguredRetention? = nil, schedules: [ConfiguredSchedule] = []) {
        self.path = path
        self.values = values
        self.retention = retention ?? ConfiguredRetention(path: path)
        self.schedules = schedules
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
        var sections: [(node: String, line: Int, values: [ConfigurationSectionKey: String])] = [(node: "", line: 0, values: [:])]
        func invalid(_ line: Int?, _ reason: String) -> WarrenError { .configurationInvalid(path: path, line: line, reason: reason) }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                let node = try sectionNode(line, path: path, line: index + 1)
                if let earlier = sections.first(where: { $0.node == node }) {
                    throw invalid(index + 1, "[node \(node)] is already a section at line \(earlier.line)")
                }
                sections.append((node: node, line: index + 1, values: [:]))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw invalid(index + 1, "expected `key = value` or `[node NAME]`, got `\(line)`")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            let inSection = sections.count > 1
            let sectionKey = ConfigurationSectionKey(rawValue: name).flatMap { inSection || ConfigurationSectionKey.retention.contains($0) ? $0 : nil }
            let key = inSection ? nil : Key(rawValue: name)
            guard key != nil || sectionKey != nil else {
                let known = inSection
                    ? ConfigurationSectionKey.allCases.map(\.rawValue)
                    : Key.allCases.map(\.rawValue) + ConfigurationSectionKey.retention.map(\.rawValue)
                let hint = !inSection && ConfigurationSectionKey(rawValue: name) != nil ? "; `\(name)` belongs in a [node NAME] section" : ""
                let place = inSection ? " in [node \(sections[sections.count - 1].node)]" : ""
                throw invalid(index + 1, "unknown key `\(name)`\(place) (known: \(known.joined(separator: ", ")))\(hint)")
            }
            guard !value.isEmpty else { throw invalid(index + 1, "`\(name)` has no value") }
            if let key {
                guard values[key] == nil else { throw invalid(index + 1, "`\(name)` is set twice") }
                if key == .lockTimeout, Double(value).map({ $0 >= 0 && $0.isFinite }) != true {
                    throw invalid(index + 1, "lock-timeout must be 0 or more seconds (got \(value))")
                }
                if key == .logFormat, value != "text", value != "json" {
                    throw invalid(index + 1, "log-format must be text or json (got \(value))")
                }
                values[key] = value
            } else if let sectionKey {
                guard sections[sections.count - 1].values[sectionKey] == nil else { throw invalid(index + 1, "`\(name)` is set twice") }
                sections[sections.count - 1].values[sectionKey] = value
                do {
                    _ = try ConfigurationSectionKey.policy([sectionKey: value])  // each value checked on its own line
                } catch {
                    throw invalid(index + 1, error.reason)
                }
            }
        }
        var nodes: [String: RetentionPolicy] = [:]
        var schedules: [ConfiguredSchedule] = []
        for section in sections.dropFirst() {
            // Every value was checked on its line above, so building the policies cannot fail.
            if let policy = try? ConfigurationSectionKey.policy(section.values) {
                nodes[section.node] = policy
            }
            if let schedule = try schedule(section.node, section.values, path: path, line: section.line) { schedules.append(schedule) }
        }
        let defaults = try? ConfigurationSectionKey.policy(sections[0].values)
        return ConfigurationFile(path: path, values: values, retention: ConfiguredRetention(path: path, defaultPolicy: defaults, nodes: nodes), schedules: schedules)
    }

    /// The node of a `[node NAME]` line.
    private static func sectionNode(_ line: String, path: String, line number: Int) throws -> String {
        guard line.hasSuffix("]") else {
            throw WarrenError.configurationInvalid(path: path, line: number, reason: "a section is `[node NAME]`, got `\(line)`")
        }
        let inner = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        guard inner.hasPrefix("node "), case let node = inner.dropFirst(5).trimmingCharacters(in: .whitespaces), !node.isEmpty else {
            throw WarrenError.configurationInvalid(path: path, line: number, reason: "a section is `[node NAME]` (e.g. [node rabbit@mq1]), got `\(line)`")
        }
        do { try BackupNaming.validate(node: node, label: nil) } catch {
            throw WarrenError.configurationInvalid(path: path, line: number, reason: "[node \(node)]: \(error)")
        }
        return node
    }

    /// A node section's schedule, checked as `schedule add` checks it; nil when the section
    /// sets neither `every` nor `at`.
    private static func schedule(_ node: String, _ values: [ConfigurationSectionKey: String], path: String, line: Int) throws -> ConfiguredSchedule? {
        let scheduling: [ConfigurationSectionKey] = [.every, .at, .jitter, .stopApp, .label]
        guard values[.every] != nil || values[.at] != nil else {
            if let stray = scheduling.first(where: { values[$0] != nil }) {
                throw WarrenError.configurationInvalid(path: path, line: line, reason: "[node \(node)] sets \(stray.rawValue) but neither every nor at (when its schedule runs)")
            }
            return nil
        }
        var stopApp = false
        if let text = values[.stopApp] {
            switch text.lowercased() {
            case "yes", "true", "on", "1": stopApp = true
            case "no", "false", "off", "0": stopApp = false
            default: throw WarrenError.configurationInvalid(path: path, line: line, reason: "[node \(node)] stop-app must be yes or no (got \(text))")
            }
        }
        let request = ScheduleRequest(node: node, every: values[.every], at: values[.at], jitter: values[.jitter], stopApp: stopApp, label: values[.label])
        do { _ = try request.validate() } catch let WarrenError.invalidArgument(name, reason) {
            throw WarrenError.configurationInvalid(path: path, line: line, reason: "[node \(node)] \(name.replacingOccurrences(of: "_", with: "-")): \(reason)")
        }
        return ConfiguredSchedule(request: request, path: path, line: line)
    }

    /// `lock-timeout`, checked by ``parse(_:path:)``.
    public var lockTimeout: Double? { values[.lockTimeout].flatMap(Double.init) }
}
