import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes a stream of pieces (a sealed object's chunks as the cipher hands them out) to
/// the start of an empty file with the page cache bypassed: pieces are gathered in an
/// aligned staging buffer, and each full buffer goes out with one `O_DIRECT` write (see
/// ``Posix/writeFullyBypassingCache(_:_:path:scratch:)``). The object is never held whole
/// in memory, and each byte is copied once, into the staging buffer.
///
/// Call ``finish()`` once after the last piece: it writes what is staged (its last
/// partial block through the cache). The caller fsyncs.
struct DirectFileWriter {
    let fd: Int32
    let path: String
    private let staging: UnsafeMutableRawBufferPointer
    private var staged = 0

    /// - Parameter staging: 4 KiB-aligned, a non-zero multiple of 4 KiB long; not
    ///   touched by anyone else until ``finish()`` returns.
    init(fd: Int32, path: String, staging: UnsafeMutableRawBufferPointer) {
        precondition(staging.count >= Posix.directAlignment && staging.count % Posix.directAlignment == 0)
        precondition(Int(bitPattern: staging.baseAddress!) % Posix.directAlignment == 0)
        self.fd = fd
        self.path = path
        self.staging = staging
    }

    /// Appends `bytes` to the file.
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes[...]
        while !rest.isEmpty {
            let take = min(staging.count - staged, rest.count)
            let end = rest.startIndex + take
            UnsafeMutableRawBufferPointer(rebasing: staging[staged..<(staged + take)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: rest[rest.startIndex..<end]))
            staged += take
            rest = rest[end...]
            if staged == staging.count { try flush() }
        }
    }

    /// Writes what is still staged.
    mutating func finish() throws {
        try flush()
    }

    /// A full staging buffer is a whole number of blocks, so the file offset stays aligned
    /// for the next one; only the last flush can end in a partial block.
    private mutating func flush() throws {
        guard staged > 0 else { return }
        try Posix.writeFullyBypassingCache(fd, UnsafeRawBufferPointer(rebasing: staging[0..<staged]), path: path)
        staged = 0
    }
}
