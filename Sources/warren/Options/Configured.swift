import WarrenCore

/// The configuration file (``ConfigurationFile``) of this run: loaded by `Warren.main` before
/// the command runs, then read by the options as their last source before the defaults
/// (flags > environment > file).
enum Configured {
    nonisolated(unsafe) static var file: ConfigurationFile?

    /// The file's value for `key`, if the file sets it.
    static func value(_ key: ConfigurationFile.Key) -> String? { file?.values[key] }
}
