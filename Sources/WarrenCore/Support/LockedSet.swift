import Foundation

/// A set of strings shared between threads (ingest workers recording the directories they
/// renamed into).
final class LockedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var items = Set<String>()

    func insert(_ item: String) {
        lock.lock(); items.insert(item); lock.unlock()
    }

    /// Every item, sorted, and the set emptied.
    func drain() -> [String] {
        lock.lock(); defer { lock.unlock() }
        let all = items.sorted()
        items.removeAll()
        return all
    }
}
