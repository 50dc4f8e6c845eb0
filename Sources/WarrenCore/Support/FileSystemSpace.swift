#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Free space of the file system holding a path (`statvfs(3)`), as this process may use it.
enum FileSystemSpace {
    /// Bytes this process can still write there (root may use the reserved blocks), or nil
    /// when `statvfs` fails.
    static func available(at path: String) -> Int64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        let blocks = geteuid() == 0 ? info.f_bfree : info.f_bavail
        return Int64(blocks) * Int64(info.f_frsize)
    }

    /// Below this, SQLite cannot create a catalog's `-wal` and `-shm` files (32 KiB and more).
    static let catalogMinimum: Int64 = 1 << 20
}
