/// A step of ingesting a backup (`register`, `backup`), in the order they run; the raw
/// value is the name `-v` prints (``RegisterTimings``).
public enum RegisterPhase: String, Sendable, CaseIterable {
    /// Walking `msg_stores/` and reading each file's metadata.
    case scan
    /// Hashing and storing the definitions and every file not reused from the parent.
    case storeObjects = "store objects"
    /// Making the new objects durable (fsync of files and directories).
    case sync
    /// Reading the queue index files for the offline message counts.
    case countMessages = "count messages"
    /// Building the manifest and storing it in the repository (issue 17 §1).
    case manifestWrite = "manifest write"
    /// The catalog's transactions: the `in_progress` row, then the complete backup's rows.
    case catalogCommit = "catalog commit"
}
