/// Where the repository is: `--repo PATH`, else `$WARREN_REPO`, else the configuration file's
/// `repo` (``ConfigurationFile``), else the per-user default
/// under the XDG data directory (`$XDG_DATA_HOME/warren`, else `~/.local/share/warren`).
public enum RepositoryLocation {
    public static func resolve(explicit: String?, environment: [String: String], configured: String? = nil) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["WARREN_REPO"], !fromEnvironment.isEmpty { return fromEnvironment }
        if let configured, !configured.isEmpty { return configured }
        if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") { return dataHome + "/warren" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/root"
        return home + "/.local/share/warren"
    }
}
