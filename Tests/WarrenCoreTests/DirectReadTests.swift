import Foundation
import Testing
@testable import WarrenCore

/// `Posix.readFullyBypassingCache` and `DirectFileWriter`: whatever the file's size, the
/// buffer's size and alignment, the staging buffer or the filesystem (ext4 takes O_DIRECT,
/// tmpfs refuses it), what is read is exactly the file, what is written is exactly the
/// pieces, and the descriptor's flags are as before.
@Suite struct DirectReadTests {
    static let sizes = [0, 1, 4095, 4096, 4097, 3 * 4096, (8 << 20) + 123]

    static func directory(onTmpfs: Bool) throws -> String? {
        let base = onTmpfs ? "/dev/shm" : NSTemporaryDirectory()
        guard FileManager.default.fileExists(atPath: base) else { return nil }
        let directory = base + "/warren-direct-read-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Reads the whole file in calls of `bufferBytes`, the buffer `offset` bytes past a 4 KiB boundary.
    static func readBack(_ path: String, bufferBytes: Int, offset: Int) throws -> [UInt8] {
        let fd = try Posix.openForReading(path)
        defer { close(fd) }
        let before = fcntl(fd, F_GETFL)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferBytes + offset, alignment: 4096)
        defer { memory.deallocate() }
        let buffer = UnsafeMutableRawBufferPointer(rebasing: memory[offset...])
        var out: [UInt8] = []
        while true {
            let n = try Posix.readFullyBypassingCache(fd, into: buffer, path: path)
            #expect(fcntl(fd, F_GETFL) == before, "the descriptor's flags are restored")
            out += buffer[0..<n]
            if n < buffer.count { break }
        }
        // Only the end of the file gives a short read.
        #expect(try Posix.readFullyBypassingCache(fd, into: buffer, path: path) == 0)
        return out
    }

    @Test(arguments: [false, true])
    func readsExactlyTheFile(onTmpfs: Bool) throws {
        guard let directory = try Self.directory(onTmpfs: onTmpfs) else { return }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for size in Self.sizes {
            let data = DirectWriteTests.random(size)
            let path = directory + "/f-\(size)"
            try Data(data).write(to: URL(fileURLWithPath: path))
            // Aligned whole blocks, a block and one byte (the ingest buffer's "capacity + 1"),
            // an unaligned buffer (buffered), a buffer shorter than a block (buffered).
            for (bytes, offset) in [(1 << 20, 0), ((1 << 20) + 1, 0), (8192, 0), (8192, 7), (100, 0)] {
                let read = try Self.readBack(path, bufferBytes: bytes, offset: offset)
                // Compared first: a failing #expect would print both arrays (megabytes).
                let same = read == data
                #expect(same, "\(read.count) bytes read, size \(size), buffer \(bytes) at +\(offset), tmpfs \(onTmpfs)")
            }
        }
    }

    @Test(arguments: [false, true])
    func writerWritesExactlyThePieces(onTmpfs: Bool) throws {
        guard let directory = try Self.directory(onTmpfs: onTmpfs) else { return }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let staging = UnsafeMutableRawBufferPointer.allocate(byteCount: 3 * 4096, alignment: 4096)
        defer { staging.deallocate() }
        for size in Self.sizes {
            let data = DirectWriteTests.random(size)
            // Pieces of uneven sizes, smaller and larger than the staging buffer.
            for pieceBytes in [1, 4097, 5000, 3 * 4096, 40_000] {
                let path = directory + "/w-\(size)-\(pieceBytes)"
                let fd = try Posix.createExclusive(path, mode: 0o600)
                let before = fcntl(fd, F_GETFL)
                var writer = DirectFileWriter(fd: fd, path: path, staging: staging)
                do {
                    try data.withUnsafeBytes { all in
                        var at = 0
                        while at < all.count {
                            let end = min(all.count, at + pieceBytes)
                            try writer.write(UnsafeRawBufferPointer(rebasing: all[at..<end]))
                            at = end
                        }
                    }
                    try writer.finish()
                } catch {
                    close(fd)
                    throw error
                }
                #expect(fcntl(fd, F_GETFL) == before, "the descriptor's flags are restored")
                close(fd)
                let written = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
                let same = written == data
                #expect(same, "\(written.count) bytes written, size \(size), pieces of \(pieceBytes), tmpfs \(onTmpfs)")
            }
        }
    }
}
