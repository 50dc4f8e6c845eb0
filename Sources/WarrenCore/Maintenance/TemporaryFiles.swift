import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Files in `tmp/` left by writers that died mid-object (named `PID-UUID.tmp` by
/// ``ObjectStore``). A file whose process still runs is never touched.
struct TemporaryFiles {
    let store: ObjectStore

    func stale() -> [(path: String, size: Int64)] {
        guard let names = try? Posix.listDirectory(store.tempPath) else { return [] }
        return names.compactMap { name in
            guard let pid = Int32(name.prefix { $0 != "-" }), pid != getpid() else { return nil }
            guard kill(pid, 0) != 0 && errno == ESRCH else { return nil }
            let path = store.tempPath + "/" + name
            guard let st = try? Posix.lstatIfExists(path), st.isRegular else { return nil }
            return (path, st.size)
        }
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
