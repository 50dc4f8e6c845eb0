/// A manifest path checked to stay inside the directory it is joined to: relative,
/// `/`-separated, no empty, `.` or `..` component, no NUL. Manifest paths (and the
/// directory names of stored vhosts and queues) come from the catalog, which a hostile or
/// corrupted repository could fill with anything.
///
/// This is the one rule: ``ManifestPathCheck`` applies it for verify, restore and export,
/// and ``TreeMaterializer`` writes nothing but these.
struct SafeRelativePath: Sendable, Equatable {
    /// Why a path or name is refused.
    enum Problem: Sendable, Equatable, CustomStringConvertible {
        case empty
        case absolute
        case emptyComponent
        case currentDirectory
        case parentDirectory
        case nul
        /// A single directory name holding a `/`.
        case separator

        var description: String {
            switch self {
            case .empty: return "it is empty"
            case .absolute: return "it is absolute (starts with '/')"
            case .emptyComponent: return "it has an empty component ('//' or a trailing '/')"
            case .currentDirectory: return "it has a '.' component"
            case .parentDirectory: return "it has a '..' component, which would leave the directory it is written under"
            case .nul: return "it holds a NUL byte"
            case .separator: return "a directory name must not hold a '/'"
            }
        }
    }

    let components: [String]

    /// - Throws: ``WarrenError/invalidBackup(path:reason:)`` saying why.
    init(_ path: String) throws {
        if let problem = Self.problem(in: path) {
            throw WarrenError.invalidBackup(path: path, reason: "refused as a path from the catalog: \(problem)")
        }
        components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    }

    var string: String { components.joined(separator: "/") }

    /// Why `path` (relative, `/`-separated) is unsafe, or nil when it is safe.
    static func problem(in path: String) -> Problem? {
        if path.isEmpty { return .empty }
        if path.hasPrefix("/") { return .absolute }
        if path.utf8.contains(0) { return .nul }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { return .emptyComponent }
            if component == "." { return .currentDirectory }
            if component == ".." { return .parentDirectory }
        }
        return nil
    }

    /// Why a single directory name (a stored vhost's or queue's `dir_name`) is unsafe.
    static func problem(inName name: String) -> Problem? {
        if name.utf8.contains(UInt8(ascii: "/")) { return name.hasPrefix("/") ? .absolute : .separator }
        return problem(in: name)
    }
}
