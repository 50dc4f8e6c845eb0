import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The permissions half of `warren check` (issue 17 §5): every file and directory of the
/// repository that other users (neither its owner nor its group) may read, write or search,
/// as a repository made before Warren made them private has (dirs 0755, `catalog.sqlite`
/// 0644, objects 0444). Repairing removes those bits (`chmod o-rwx`); owner and group bits
/// stay as they are. Symbolic links are not followed.
struct PermissionAudit {
    let root: String
    let repairing: Bool

    static let sampleLimit = 5

    func run() throws -> [CheckFinding] {
        var exposed: [(path: String, mode: mode_t, isDirectory: Bool)] = []
        try walk(root, into: &exposed)
        guard !exposed.isEmpty else { return [] }
        var failed: [String] = []
        if repairing {
            // Deepest first, so that the directories above stay searchable until the end.
            for entry in exposed.reversed() where chmod(entry.path, entry.mode & ~RepositoryAccess.otherBits & 0o7777) != 0 {
                failed.append("\(entry.path) (\(String(cString: strerror(errno))))")
            }
        }
        let directories = exposed.filter(\.isDirectory).count
        let sample = exposed.prefix(Self.sampleLimit).map { "\($0.path) (\(String($0.mode & 0o7777, radix: 8)))" }
        let fixed = repairing && failed.isEmpty
        let message = "\(exposed.count - directories) files and \(directories) directories can be read or searched by every user "
            + "(the definitions hold password hashes, the store files message bodies): \(sample.joined(separator: ", "))"
            + (exposed.count > Self.sampleLimit ? ", …" : "")
            + (fixed ? "; removed the other users' bits (chmod o-rwx)" : "")
            + (failed.isEmpty ? "" : "; could not change \(failed.prefix(Self.sampleLimit).joined(separator: ", "))")
        return [CheckFinding(
            "repository_world_readable", .warning, message,
            fix: fixed ? nil : "run `warren check` (without --dry-run), or `chmod -R o-rwx \(root)`",
            fixed: fixed, count: exposed.count)]
    }

    /// Depth-first, parents before children. What a restore moved aside (`aside/ID/VHOST-DIR/…`)
    /// is the node's own data with the node's own modes, kept as they were so that a rollback
    /// puts them back unchanged; `aside/ID` (private, Warren's) is what keeps others out, so
    /// the walk checks it and stops there.
    private func walk(_ path: String, into exposed: inout [(path: String, mode: mode_t, isDirectory: Bool)]) throws {
        let relative = path.dropFirst(root.count).split(separator: "/")
        if relative.count >= 3, relative.first == "aside" { return }
        guard let st = try Posix.lstatIfExists(path), !st.isSymlink else { return }
        if st.mode & RepositoryAccess.otherBits != 0 { exposed.append((path, st.mode, st.isDirectory)) }
        guard st.isDirectory else { return }
        for name in try Posix.listDirectory(path) { try walk(path + "/" + name, into: &exposed) }
    }
}
