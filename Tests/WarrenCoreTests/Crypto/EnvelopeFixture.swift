import Crypto
import Foundation
@testable import WarrenCore

/// Small helpers for envelope tests: 4 KiB chunks so that multi-chunk cases stay small.
enum EnvelopeFixture {
    static let chunkShift: UInt8 = 12
    static let chunk = 1 << 12
    static let sealedChunk = chunk + 16
    static let header = EnvelopeHeader.byteCount

    static func cipher(_ master: MasterKey = MasterKey.generate(), algorithm: SealingAlgorithm = .aes256GCM) -> EnvelopeCipher {
        EnvelopeCipher(encryptionKey: master.encryptionKey, algorithm: algorithm, chunkShift: chunkShift)
    }

    static func random(_ count: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// Seals `data`, fed to the encryptor in pieces of `piece` bytes (nil: all at once).
    static func seal(_ data: [UInt8], with cipher: EnvelopeCipher, kind: SealedKind = .file, name: [UInt8], piece: Int? = nil) throws -> [UInt8] {
        let sealer = cipher.encryptor(kind: kind)
        var out: [UInt8] = []
        var offset = 0
        let step = piece ?? max(data.count, 1)
        while offset < data.count {
            let end = min(offset + step, data.count)
            try data[offset..<end].withUnsafeBytes { try sealer.update($0) { out += $0 } }
            offset = end
        }
        try sealer.finish(name: name) { out += $0 }
        return out
    }

    /// Opens `sealed`, fed in pieces; returns what was emitted and the failure, if any.
    static func open(
        _ sealed: [UInt8], with cipher: EnvelopeCipher, kind: SealedKind = .file, name: [UInt8], piece: Int? = nil
    ) -> (emitted: [UInt8], failure: DecryptionFailure?) {
        let reader = cipher.decryptor(kind: kind, name: name)
        var out: [UInt8] = []
        do {
            var offset = 0
            let step = piece ?? max(sealed.count, 1)
            while offset < sealed.count {
                let end = min(offset + step, sealed.count)
                try sealed[offset..<end].withUnsafeBytes { try reader.update($0) { out += $0 } }
                offset = end
            }
            try reader.finish { out += $0 }
            return (out, nil)
        } catch let failure as DecryptionFailure {
            return (out, failure)
        } catch {
            fatalError("unexpected \(error)")
        }
    }

    /// Byte range of sealed chunk `i` (header excluded).
    static func chunkRange(_ i: Int, in sealed: [UInt8]) -> Range<Int> {
        let start = header + i * sealedChunk
        return start..<min(start + sealedChunk, sealed.count)
    }
}
