import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, throwing wrappers over the POSIX calls Warren's I/O relies on. Foundation's
/// file APIs follow symlinks silently and hide errno; backup code must do neither.
enum Posix {
    struct Stat: Sendable, Equatable {
        var mode: mode_t
        var size: Int64
        var inode: UInt64
        var device: UInt64
        var mtimeNs: Int64
        var ctimeNs: Int64
        var uid: uid_t
        var gid: gid_t
        /// `st_nlink`: how many directory entries name this inode.
        var linkCount: UInt64

        var isRegular: Bool { mode & S_IFMT == S_IFREG }
        var isDirectory: Bool { mode & S_IFMT == S_IFDIR }
        var isSymlink: Bool { mode & S_IFMT == S_IFLNK }

        init(_ st: stat) {
            mode = st.st_mode
            size = Int64(st.st_size)
            inode = UInt64(st.st_ino)
            device = UInt64(st.st_dev)
            mtimeNs = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            ctimeNs = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
            uid = st.st_uid
            gid = st.st_gid
            linkCount = UInt64(st.st_nlink)
        }

        /// A name for the file type, for error messages.
        var typeName: String {
            switch mode & S_IFMT {
            case S_IFREG: return "regular file"
            case S_IFDIR: return "directory"
            case S_IFLNK: return "symbolic link"
            case S_IFIFO: return "FIFO"
            case S_IFSOCK: return "socket"
            case S_IFCHR: return "character device"
            case S_IFBLK: return "block device"
            default: return "special file"
            }
        }
    }

    /// `lstat`: never follows a symlink. Returns nil when the path does not exist.
    static func lstatIfExists(_ path: String) throws -> Stat? {
        var st = stat()
        if lstat(path, &st) == 0 { return Stat(st) }
        if errno == ENOENT || errno == ENOTDIR { return nil }
        throw WarrenError.io(path: path, operation: "lstat", errno: errno)
    }

    static func lstatOrThrow(_ path: String) throws -> Stat {
        var st = stat()
        guard lstat(path, &st) == 0 else { throw WarrenError.io(path: path, operation: "lstat", errno: errno) }
        return Stat(st)
    }

    static func fstatOrThrow(_ fd: Int32, path: String) throws -> Stat {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw WarrenError.io(path: path, operation: "fstat", errno: errno) }
        return Stat(st)
    }

    /// Opens for reading without following a final symlink.
    static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw WarrenError.io(path: path, operation: "open", errno: errno) }
        return fd
    }

    /// Creates a new file that must not exist yet (never follows or reuses anything).
    /// Its mode is exactly `mode`, whatever the umask (issue 17 §5).
    static func createExclusive(_ path: String, mode: mode_t = 0o644) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw WarrenError.io(path: path, operation: "create", errno: errno) }
        guard fchmod(fd, mode) == 0 else {
            let code = errno
            close(fd)
            unlink(path)
            throw WarrenError.io(path: path, operation: "chmod", errno: code)
        }
        return fd
    }

    /// Reads until `buffer` is full or end of file; returns the bytes read.
    static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = read(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw WarrenError.io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Exactly `count` bytes of `fd` from `offset` (pread, EINTR retried). A file that ends
    /// first throws EIO with `shortRead` as the operation (say what must not have happened).
    static func readBytes(_ fd: Int32, at offset: Int64, count: Int, path: String,
                          shortRead: String = "read (the file ended early)") throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw WarrenError.io(path: path, operation: "read", errno: errno)
            }
            guard n > 0 else { throw WarrenError.io(path: path, operation: shortRead, errno: EIO) }
            done += n
        }
        return bytes
    }

    static func writeFully(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        var done = 0
        while done < buffer.count {
            let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw WarrenError.io(path: path, operation: "write", errno: errno)
            }
            done += n
        }
    }

    /// Creates `path` (it must not exist) with `bytes`, fsynced and closed; on a failure
    /// the file is removed and the error rethrown. The way temporaries that are then renamed
    /// or linked into place are written.
    static func createFsyncedFile(_ path: String, _ bytes: some ContiguousBytes, mode: mode_t) throws {
        let fd = try createExclusive(path, mode: mode)
        do {
            try bytes.withUnsafeBytes { try writeFully(fd, $0, path: path) }
            try fsyncOrThrow(fd, path: path)
            close(fd)
        } catch {
            close(fd)
            unlink(path)
            throw error
        }
    }

    static func fsyncOrThrow(_ fd: Int32, path: String) throws {
        guard fsync(fd) == 0 else { throw WarrenError.io(path: path, operation: "fsync", errno: errno) }
    }

    /// Makes a directory's entries (renames, creations) durable.
    static func fsyncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw WarrenError.io(path: path, operation: "open directory", errno: errno) }
        defer { close(fd) }
        try fsyncOrThrow(fd, path: path)
    }

    static func renameOrThrow(_ from: String, _ to: String) throws {
        guard rename(from, to) == 0 else { throw WarrenError.io(path: to, operation: "rename from \(from)", errno: errno) }
    }

    /// A directory this call creates gets exactly `mode` (setgid included), whatever the
    /// umask; an existing one is left as it is.
    static func mkdirIfMissing(_ path: String, mode: mode_t = 0o755) throws {
        if mkdir(path, mode) == 0 {
            guard chmod(path, mode) == 0 else { throw WarrenError.io(path: path, operation: "chmod", errno: errno) }
            return
        }
        if errno == EEXIST { return }
        throw WarrenError.io(path: path, operation: "mkdir", errno: errno)
    }

    /// Entries of a directory, without "." and "..", sorted by byte order so that scans
    /// and manifests are deterministic.
    ///
    /// The name is read in place, through a pointer into `readdir`'s record: the record is
    /// only as long as its name (`d_reclen`), so copying the whole fixed-size `dirent` out of
    /// it (`entry.pointee`) reads past the end of the kernel buffer and crashed `check`/`gc`
    /// on large repositories (issue 12 §2).
    static func listDirectory(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw WarrenError.io(path: path, operation: "opendir", errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw WarrenError.io(path: path, operation: "readdir", errno: errno) }
                break
            }
            // A name that is not UTF-8 could not be written back byte for byte: refuse it.
            guard let name = entryName(entry) else {
                throw WarrenError.invalidBackup(path: path, reason: "holds an entry whose name is not valid UTF-8")
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The NUL-terminated `d_name` of a `readdir` record, read where it lies (never copied
    /// as the fixed-size array the C declaration claims). Nil when it is not UTF-8.
    static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String? {
        let name = UnsafeRawPointer(entry.pointer(to: \.d_name)!).assumingMemoryBound(to: CChar.self)
        return String(validatingCString: name)
    }

    /// Reads a small file whole, refusing anything that is not a regular file or is larger
    /// than `limit`.
    static func readSmallFile(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = try openForReading(path)
        defer { close(fd) }
        let st = try fstatOrThrow(fd, path: path)
        guard st.isRegular else {
            throw WarrenError.invalidBackup(path: path, reason: "is a \(st.typeName), expected a regular file")
        }
        guard st.size <= Int64(limit) else {
            throw WarrenError.invalidBackup(path: path, reason: "is \(st.size) bytes; at most \(limit) expected")
        }
        // Read straight into an array of the expected size (no zero fill, one copy); one
        // more byte is then attempted so a file that grew while read is still detected.
        let size = Int(st.size)
        let bytes = try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = try readFully(fd, into: UnsafeMutableRawBufferPointer(buffer), path: path)
        }
        var probe: UInt8 = 0
        let extra = try withUnsafeMutableBytes(of: &probe) { try readFully(fd, into: $0, path: path) }
        guard extra == 0 else {
            throw WarrenError.invalidBackup(path: path, reason: "grew while being read")
        }
        return bytes
    }
}
