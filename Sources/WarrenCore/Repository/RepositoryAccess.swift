import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Who may read a repository (issue 17 §5): its owner only (the default), or also the members
/// of one group (`warren init --group NAME`, for a monitoring user that runs `list`, `show`
/// and `verify`). Nobody else can read anything in it: the definitions hold password
/// hashes and the store files hold message bodies.
///
/// Every writer creates its files and directories with these modes and sets them explicitly
/// (`chmod`/`fchmod`), so the caller's umask neither widens nor narrows them. The repository
/// directory itself says which it is: group read and search bits on it mean ``group``.
public enum RepositoryAccess: String, Sendable, Equatable, Codable {
    /// Directories 0700, files 0600, objects and documents 0400.
    case ownerOnly = "owner_only"
    /// Directories 2750 (setgid, so new entries keep the group), files 0640, objects and
    /// documents 0440.
    case group

    /// Mode of every directory in the repository.
    public var directoryMode: mode_t { self == .group ? 0o2750 : 0o700 }
    /// Mode of files that are rewritten in place (catalog, lock, journal, records).
    public var fileMode: mode_t { self == .group ? 0o640 : 0o600 }
    /// Mode of immutable files (objects, manifests, state documents).
    public var readOnlyFileMode: mode_t { self == .group ? 0o440 : 0o400 }

    /// The access a repository directory was created with (read from its mode bits).
    public static func of(repositoryPath path: String) -> RepositoryAccess {
        var st = stat()
        guard stat(path, &st) == 0 else { return .ownerOnly }
        return st.st_mode & 0o050 == 0o050 ? .group : .ownerOnly
    }

    /// Creates `path` and the directories above it that are missing, each with
    /// ``directoryMode`` (for directories below the repository root: journal, guard, aside).
    public func makeDirectories(_ path: String) throws {
        var missing: [String] = []
        var current = path
        while !current.isEmpty, current != "/", try Posix.lstatIfExists(current) == nil {
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for directory in missing.reversed() { try Posix.mkdirIfMissing(directory, mode: directoryMode) }
    }

    /// The bits that make a file or directory readable, writable or searchable by others than
    /// its owner and group: what `warren check` reports (`repository_world_accessible`).
    public static let otherBits: mode_t = 0o007
}
