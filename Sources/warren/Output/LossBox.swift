import Foundation
import WarrenCore

/// Holds what the backup's survey said stopping drops, from the callback to the JSON output.
final class LossBox: @unchecked Sendable {
    private let lock = NSLock()
    private var losses: [StopLoss] = []

    func set(_ value: [StopLoss]) { lock.withLock { losses = value } }
    func get() -> [StopLoss] { lock.withLock { losses } }
}
