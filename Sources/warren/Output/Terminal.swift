import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where text goes: results on stdout, diagnostics and progress on stderr.
enum Terminal {
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("warren: error: \(message)\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("warren: \(message)\n".utf8))
    }
}
