import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What must hold before `stop_app`, checked while the app still runs, so that a wrong
/// `--data-dir`, a full disk or a lost lock fails with the broker untouched.
enum StopPreconditions {
    /// For `backup --stop-app`: the node directory and its `msg_stores/` are readable
    /// directories, the repository can take the new content (files unchanged since
    /// `parent` cost nothing), and this process holds the repository's write lock.
    static func backup(nodeDirectory: String, repository: Repository, parent: ParentManifest?) throws {
        let store = nodeDirectory + "/msg_stores"
        try readableDirectory(nodeDirectory, what: "node directory")
        try readableDirectory(store, what: "node's msg_stores directory")
        try lockHeld(repository)
        var needed: Int64 = 0
        if let walker = FileManager.default.enumerator(atPath: store) {
            while let relative = walker.nextObject() as? String {
                guard let st = try? Posix.lstatIfExists(store + "/" + relative), st.isRegular else { continue }
                if let entry = parent?.entries[relative], entry.size == st.size, entry.mtimeNs == st.mtimeNs, entry.inode == st.inode { continue }
                needed += st.size
            }
        }
        try space(needed, at: repository.objects.tempPath, what: "the copy of \(store)")
    }

    /// For a restore: the node directory is a writable directory, its file system can take
    /// `bytes`, moved-aside data can be renamed into `aside` (same file system), and this
    /// process holds the repository's write lock.
    static func restore(nodeDirectory: String, bytes: Int64, aside: String?, repository: Repository) throws {
        try readableDirectory(nodeDirectory, what: "node directory")
        guard access(nodeDirectory, W_OK) == 0 else {
            throw WarrenError.restoreRefused(reason: "the node directory \(nodeDirectory) is not writable by this process (\(String(cString: strerror(errno)))); run warren as root or as the broker's user")
        }
        try lockHeld(repository)
        try space(bytes, at: nodeDirectory, what: "the restored files")
        guard let aside else { return }
        var existing = aside
        while (try? Posix.lstatIfExists(existing)) == nil, existing != "/" { existing = (existing as NSString).deletingLastPathComponent }
        guard let node = try Posix.lstatIfExists(nodeDirectory), let target = try Posix.lstatIfExists(existing) else { return }
        guard node.device == target.device else {
            throw WarrenError.restoreRefused(reason: "moved-aside data goes to \(aside), which is on another file system than the node directory \(nodeDirectory) (a rename cannot move it there). Pass --aside-dir DIR on the node's file system, outside the node directory")
        }
        guard !(aside + "/").hasPrefix(nodeDirectory + "/") else {
            throw WarrenError.restoreRefused(reason: "--aside-dir \(aside) is inside the node directory \(nodeDirectory), which RabbitMQ may clean up (4.2+ deletes what is not msg_stores); choose a directory outside it")
        }
    }

    private static func readableDirectory(_ path: String, what: String) throws {
        guard let st = try Posix.lstatIfExists(path) else {
            throw WarrenError.invalidArgument(name: "--data-dir", reason: "the \(what) \(path) does not exist; the broker app was not stopped. Give the node directory (it holds msg_stores/; `rabbitmqctl eval 'rabbit_mnesia:dir().'` prints it)")
        }
        guard st.isDirectory, access(path, R_OK | X_OK) == 0 else {
            throw WarrenError.invalidArgument(name: "--data-dir", reason: "the \(what) \(path) is not a readable directory; the broker app was not stopped")
        }
    }

    private static func lockHeld(_ repository: Repository) throws {
        guard RepositoryLock.currentHolder(repository: repository)?.pid == getpid() else {
            throw WarrenError.catalog(detail: "this process does not hold the write lock of \(repository.path) (its lock file was replaced or removed); the broker app was not stopped. Retry")
        }
    }

    private static func space(_ needed: Int64, at path: String, what: String) throws {
        guard let free = FileSystemSpace.available(at: path), free < needed + FileSystemSpace.catalogMinimum else { return }
        throw WarrenError.diskFull(path: path, operation: "hold \(what) (\(needed) bytes needed; the broker app was not stopped)", available: free)
    }
}
