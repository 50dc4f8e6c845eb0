import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where text goes: results on stdout, diagnostics and progress on stderr.
enum Terminal {
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Set once by `Warren.main` from the command's ``VerbosityOptions``, before it runs.
    nonisolated(unsafe) static var verbosity: Verbosity = .normal

    /// Always printed, also under --quiet.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("warren: error: \(message)\n".utf8))
    }

    /// Something the operator must see even under --quiet (e.g. what a stop will drop).
    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("warren: warning: \(message)\n".utf8))
    }

    /// A progress note; not under --quiet.
    static func note(_ message: String) {
        guard verbosity != .quiet else { return }
        FileHandle.standardError.write(Data("warren: \(message)\n".utf8))
    }

    /// A detail; only under --verbose.
    static func detail(_ message: String) {
        guard verbosity == .verbose else { return }
        FileHandle.standardError.write(Data("warren: \(message)\n".utf8))
    }
}
