import Foundation
import WarrenCore

extension Terminal {
    /// The closing line of long work, like restic's: "Added to the repository: 68.0 KiB
    /// (3 new objects), processed 5 files (72.0 KiB) in 0.4 s". On stderr; not under --quiet.
    static func summary(_ backup: BackupSummary, elapsed: Duration) {
        guard verbosity != .quiet else { return }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        FileHandle.standardError.write(Data(("Added to the repository: \(ByteCount.format(backup.addedBytes)) (\(backup.addedObjects) new objects), "
            + "processed \(backup.fileCount) files (\(ByteCount.format(backup.logicalBytes))) in \(String(format: "%.1f", seconds)) s\n").utf8))
    }
}
