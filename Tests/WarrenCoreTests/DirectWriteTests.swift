import Foundation
import Testing
@testable import WarrenCore

/// `Posix.writeFullyBypassingCache`: whatever the size, the source's alignment, the scratch
/// buffer or the filesystem (ext4 takes O_DIRECT, tmpfs refuses it), the file holds exactly
/// the bytes, and the descriptor's flags are as before.
@Suite struct DirectWriteTests {
    static let sizes = [0, 1, 4095, 4096, 4097, 3 * 4096, (8 << 20) + 123, (20 << 20) + 5]

    static func random(_ count: Int) -> [UInt8] {
        // Eight bytes per call: byte by byte, 28 MiB took most of a debug test's half minute.
        var rng = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { out in
            var at = 0
            while at < count {
                var word = rng.next()
                let take = min(8, count - at)
                withUnsafeBytes(of: &word) { out.baseAddress!.advanced(by: at).copyMemory(from: $0.baseAddress!, byteCount: take) }
                at += take
            }
        }
        return bytes
    }

    static func roundTrip(in directory: String, _ data: [UInt8], offset: Int, scratchBytes: Int?) throws -> [UInt8] {
        // The source at `offset` bytes past a 4 KiB boundary.
        let source = UnsafeMutableRawBufferPointer.allocate(byteCount: data.count + offset, alignment: 4096)
        defer { source.deallocate() }
        let bytes = UnsafeMutableRawBufferPointer(rebasing: source[offset...])
        data.withUnsafeBytes { bytes.copyMemory(from: $0) }
        let scratch = scratchBytes.map { UnsafeMutableRawBufferPointer.allocate(byteCount: $0, alignment: 4096) }
        defer { scratch?.deallocate() }
        let path = directory + "/f-\(UUID().uuidString)"
        let fd = try Posix.createExclusive(path, mode: 0o600)
        let before = fcntl(fd, F_GETFL)
        do {
            try Posix.writeFullyBypassingCache(fd, UnsafeRawBufferPointer(bytes), path: path, scratch: scratch)
        } catch {
            close(fd)
            throw error
        }
        #expect(fcntl(fd, F_GETFL) == before, "the descriptor's flags are restored")
        #expect(lseek(fd, 0, SEEK_CUR) == off_t(data.count))
        close(fd)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test(arguments: [false, true])
    func theFileHoldsExactlyTheBytes(onTmpfs: Bool) throws {
        let base = onTmpfs ? "/dev/shm" : NSTemporaryDirectory()
        guard FileManager.default.fileExists(atPath: base) else { return }
        let directory = base + "/warren-direct-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for size in Self.sizes {
            let data = Self.random(size)
            // Aligned (written from where it is), unaligned through a scratch smaller than
            // the data, unaligned with no scratch (buffered).
            for (offset, scratch) in [(0, nil), (1, 8192), (100, 1 << 20), (4095, nil)] as [(Int, Int?)] {
                let read = try Self.roundTrip(in: directory, data, offset: offset, scratchBytes: scratch)
                // Compared first: a failing #expect would print both arrays (megabytes).
                let same = read == data
                #expect(same, "\(read.count) bytes read, size \(size), offset \(offset), scratch \(String(describing: scratch)), tmpfs \(onTmpfs)")
            }
        }
    }
}
