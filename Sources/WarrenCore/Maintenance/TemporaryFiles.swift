import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Files in `tmp/` left by writers that died mid-write (named `PID-UUID.tmp` by
/// ``ObjectStore`` and ``AtomicFile``), and the `NAME.tmp-PID` files that older releases
/// wrote beside the restore journal, the guard records and `service.json`. A file whose
/// process still runs is never touched.
struct TemporaryFiles {
    let store: ObjectStore

    /// Where older releases wrote a record's temporary file beside it.
    static let legacyDirectories = ["", "/journal", "/guard"]

    func stale() -> [(path: String, size: Int64)] {
        var found: [(path: String, size: Int64)] = []
        for name in (try? Posix.listDirectory(store.tempPath)) ?? [] {
            if let file = Self.ifStale(store.tempPath + "/" + name, pid: Int32(name.prefix { $0 != "-" })) { found.append(file) }
        }
        let repository = (store.tempPath as NSString).deletingLastPathComponent
        for directory in Self.legacyDirectories.map({ repository + $0 }) {
            for name in (try? Posix.listDirectory(directory)) ?? [] {
                guard let marker = name.range(of: ".tmp-", options: .backwards) else { continue }
                if let file = Self.ifStale(directory + "/" + name, pid: Int32(name[marker.upperBound...])) { found.append(file) }
            }
        }
        return found
    }

    /// The regular file at `path` with its size, when `pid` names a process that is gone.
    private static func ifStale(_ path: String, pid: Int32?) -> (path: String, size: Int64)? {
        guard let pid, pid > 0, pid != getpid() else { return nil }
        guard kill(pid, 0) != 0 && errno == ESRCH else { return nil }
        guard let st = try? Posix.lstatIfExists(path), st.isRegular else { return nil }
        return (path, st.size)
    }

    /// Removes the stale files; returns how many and their bytes.
    func removeStale() -> FreedSpace {
        var removed = FreedSpace()
        for file in stale() where unlink(file.path) == 0 {
            removed.objects += 1
            removed.bytes += file.size
        }
        return removed
    }
}
