import Foundation

/// This host's copies of a bucket's pack indexes, in the catalog cache's directory
/// (`pack-indexes/<pack id>`, 0600), each with the version (ETag) it was listed at: a
/// process that needs the indexes lists them (one LIST) and GETs only those it has no copy
/// of at that version, instead of every one (issue 11). The bytes are the index as read
/// (unsealed: object ids, offsets and lengths, nothing else), so ``PackIndex/decode`` checks
/// each copy's checksum again; a damaged or unreadable copy is read from the bucket instead.
/// Writes are best effort (a full disk costs GETs, never a wrong answer) and atomic.
struct PackIndexCache: Sendable {
    let directory: String

    /// The cached bytes of pack `id`'s index at `version`; nil when there is none, it is of
    /// another version, or it cannot be read.
    func bytes(of id: String, version: String) -> [UInt8]? {
        guard Self.isPackID(id), let data = FileManager.default.contents(atPath: path(of: id)) else { return nil }
        let bytes = [UInt8](data)
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")),
              String(decoding: bytes[..<newline], as: UTF8.self) == version else { return nil }
        return Array(bytes[(newline + 1)...])
    }

    /// Keeps `bytes` as pack `id`'s index at `version`.
    func store(_ bytes: [UInt8], of id: String, version: String) {
        guard Self.isPackID(id), !version.contains("\n") else { return }
        do {
            try Posix.mkdirIfMissing(directory, mode: RepositoryAccess.ownerOnly.directoryMode)
            let temporary = "\(directory)/.\(id).\(getpid()).tmp"
            let fd = try Posix.createExclusive(temporary, mode: 0o600)
            var failed = false
            do {
                try (Array(version.utf8) + [UInt8(ascii: "\n")]).withUnsafeBytes { try Posix.writeFully(fd, $0, path: temporary) }
                try bytes.withUnsafeBytes { try Posix.writeFully(fd, $0, path: temporary) }
            } catch { failed = true }
            close(fd)
            if failed || rename(temporary, path(of: id)) != 0 { unlink(temporary) }
        } catch {}
    }

    /// Removes the copies of packs not in `ids` (their indexes are gone from the bucket).
    func retain(only ids: Set<String>) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where !ids.contains(name) && (Self.isPackID(name) || name.hasSuffix(".tmp")) {
            unlink("\(directory)/\(name)")
        }
    }

    private func path(of id: String) -> String { "\(directory)/\(id)" }

    /// A pack id is 64 lowercase hex digits: nothing else becomes a file name here.
    private static func isPackID(_ id: String) -> Bool {
        id.utf8.count == 64 && id.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}
