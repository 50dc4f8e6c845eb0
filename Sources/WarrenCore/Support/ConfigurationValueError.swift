/// A bad value in a configuration file, before the file and line are known.
struct ConfigurationValueError: Error {
    var key: ConfigurationSectionKey
    var reason: String
}
