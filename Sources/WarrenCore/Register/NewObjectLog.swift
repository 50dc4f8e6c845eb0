import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The objects one backup wrote that were not in the repository before (thread-safe). When
/// the backup fails or is interrupted they are deleted again: under the write lock no other
/// backup can reference them, and otherwise they would wait for `gc` as orphans.
final class NewObjectLog: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [ObjectID] = []

    func add(_ stored: ObjectStore.Stored) {
        guard stored.written else { return }
        lock.lock()
        ids.append(stored.id)
        lock.unlock()
    }

    /// Deletes every logged object; returns how many were removed.
    @discardableResult
    func removeAll(from objects: ObjectStore) -> Int {
        lock.lock()
        defer { ids.removeAll(); lock.unlock() }
        return ids.reduce(0) { $0 + (objects.remove($1) ? 1 : 0) }
    }
}
