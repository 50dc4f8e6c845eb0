import Foundation

/// What a `--repo` / `WARREN_REPO` string names: a local directory, or an S3 bucket
/// (`s3:http://HOST:PORT/BUCKET/PREFIX`). A string that starts like a URL (`NAME:` with a
/// scheme-like NAME, e.g. `sftp:host:/srv`, `b2:bucket`, `file:///x`) but whose scheme Warren
/// does not know is refused, never taken for a relative directory named `sftp:host:`.
/// A local directory whose name has such a colon is still reachable as `./NAME:…`.
public enum RepositoryAddress: Sendable, Equatable {
    case local(path: String)
    case s3(S3Location)

    /// Parses `text`.
    /// - Throws: ``WarrenError/invalidArgument(name:reason:)`` for an unknown scheme or a malformed s3: URL.
    public static func parse(_ text: String) throws -> RepositoryAddress {
        guard let scheme = scheme(of: text) else { return .local(path: text) }
        if scheme == "s3" { return .s3(try S3Location.parse(text)) }
        throw WarrenError.invalidArgument(
            name: "--repo",
            reason: "\(text): unknown repository scheme \(scheme):; Warren knows local directories and s3:http(s)://HOST:PORT/BUCKET/PREFIX. For a local directory whose name has a colon, write ./\(text)")
    }

    /// The local directory `text` names, for the commands that do not run on S3 yet.
    /// - Throws: ``WarrenError/invalidArgument(name:reason:)`` as ``parse(_:)``, and
    ///   ``S3Error/notYetSupported(url:operation:remaining:)`` for an s3: URL (see ``s3Remaining``).
    public static func localDirectory(_ text: String, operation: String) throws -> String {
        switch try parse(text) {
        case let .local(path):
            return path
        case let .s3(location):
            throw WarrenError.s3(.notYetSupported(url: location.description, operation: operation, remaining: s3Remaining))
        }
    }

    /// What runs on S3 and what is left (said in the refusal, and in the README).
    public static let s3Remaining = "every command runs on S3, with a local catalog cache synchronised from the bucket and a lock object in the bucket for prune, forget, gc, check and key changes; this one has not been wired to it"

    /// The scheme of a URL-like string: letters first, then letters, digits, `+`, `-`, `.`,
    /// two characters at least, then `:`. Paths that start with `/`, `.` or `~` never have one.
    static func scheme(of text: String) -> String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = text[..<colon]
        guard name.count >= 2, let first = name.unicodeScalars.first, first.isASCII, CharacterSet.letters.contains(first) else { return nil }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.")
        guard name.unicodeScalars.allSatisfy({ allowed.contains($0) }) else { return nil }
        return name.lowercased()
    }
}
