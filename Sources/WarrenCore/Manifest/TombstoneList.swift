import Foundation

/// The ids a deletion transaction tombstoned, carried out of the transaction's closure so
/// that a rollback can cancel exactly those tombstones.
final class TombstoneList: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Int64] = []

    var ids: [Int64] {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
