import Foundation
import WarrenCore

/// Draws progress (bytes done, rate, ETA) on one stderr line, only when stderr is a
/// terminal, at most ten times a second.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    /// Runs `body` with a progress handler for domain calls (nil when stderr is not a
    /// terminal, or under --quiet), and clears the line afterwards, whether `body` returns or throws.
    static func run<T>(_ body: (ProgressHandler?) throws -> T) rethrows -> T {
        guard Terminal.stderrIsTerminal, Terminal.verbosity != .quiet else { return try body(nil) }
        let line = ProgressLine()
        defer { line.finish() }
        return try body { line.update($0) }
    }

    func update(_ snapshot: ProgressSnapshot) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        let finished = snapshot.filesTotal > 0 && snapshot.filesDone == snapshot.filesTotal
        guard finished || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Double(snapshot.bytesDone) / elapsed
        var text = "\(snapshot.phase) \(ByteCount.format(snapshot.bytesDone)) / \(ByteCount.format(snapshot.bytesTotal))"
        if snapshot.bytesTotal > 0 {
            text += String(format: " (%.0f%%)", 100 * Double(snapshot.bytesDone) / Double(snapshot.bytesTotal))
        }
        text += "  \(snapshot.filesDone)/\(snapshot.filesTotal) files  \(ByteCount.format(Int64(rate)))/s"
        if rate > 0, snapshot.bytesTotal > snapshot.bytesDone {
            text += "  ETA \(Int((Double(snapshot.bytesTotal - snapshot.bytesDone) / rate).rounded(.up)))s"
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        drawn = true
    }

    /// Clears the line so that the result prints on a clean terminal.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
