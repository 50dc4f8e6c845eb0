import Foundation
import Testing
@testable import WarrenCore

/// Random damage to the real fixtures must end in a count or an `IndexParseError`: never a
/// crash, a hang or an allocation driven by a corrupted length.
/// The limit catches a hang, not slowness: one case took over 60 s at load 20 on the shared
/// 2 cores (CI run of 2026-12-02), so it is far above any healthy run.
@Suite("IndexParsing: seeded mutations of real fixtures", .timeLimit(.minutes(15)))
struct IndexParsingMutationTests {
    /// SplitMix64: small, fast and reproducible.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
        mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    }

    static let rounds = 2000

    static func mutate(_ input: [UInt8], _ rng: inout Rng) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + rng.below(3)) {
            switch rng.below(7) {
            case 0, 1: // bit flips
                if !bytes.isEmpty { bytes[rng.below(bytes.count)] ^= 1 << UInt8(rng.below(8)) }
            case 2: // truncation
                bytes.removeLast(rng.below(min(bytes.count, 64) + 1))
            case 3: // insertion of random bytes
                let at = rng.below(bytes.count + 1)
                bytes.insert(contentsOf: (0..<(1 + rng.below(40))).map { _ in rng.byte() }, at: at)
            case 4: // a 32-bit field set to an extreme
                if bytes.count >= 4 {
                    let at = rng.below(bytes.count - 3)
                    let value: [UInt8] = rng.below(2) == 0 ? [0xFF, 0xFF, 0xFF, 0xFF] : [0x7F, 0, 0, rng.byte()]
                    bytes.replaceSubrange(at..<at + 4, with: value)
                }
            case 5: // a chunk duplicated (replayed records)
                if !bytes.isEmpty {
                    let from = rng.below(bytes.count)
                    let chunk = bytes[from..<min(bytes.count, from + 1 + rng.below(80))]
                    bytes.insert(contentsOf: chunk, at: rng.below(bytes.count + 1))
                }
            default: // zero tail
                bytes.append(contentsOf: [UInt8](repeating: 0, count: 1 + rng.below(100)))
            }
        }
        return bytes
    }

    @Test("mutated fixtures give a count or an IndexParseError", arguments: IndexFixture.all.filter {
        $0.name != "v2-empty" && $0.name != "v2-purged"
    })
    func mutations(_ fixture: IndexFixture) throws {
        let files = try fixture.files()
        let targets = try fixture.indexFiles().map(\.name)
        try #require(!targets.isEmpty)
        var rng = Rng(state: 0x5741_5252_454E ^ UInt64(fixture.name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }.magnitude))
        var counted = 0, rejected = 0
        for _ in 0..<Self.rounds {
            var mutated = files
            let name = targets[rng.below(targets.count)]
            mutated[name] = Self.mutate(files[name]!, &rng)
            let outcome: Result<QueueIndexCount, IndexParseError>
            do {
                outcome = .success(try QueueIndexReader.count(files: mutated, segmentEntryCount: fixture.segmentEntryCount))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case let .success(count):
                counted += 1
                #expect(count.messages == count.embeddedInIndex + count.inSharedStore + count.inQueueStore)
                #expect(count.messages >= 0 && count.droppedAtRecovery >= 0 && count.payloadBytes >= 0)
                #expect((count.oldestSeqID == nil) == (count.messages == 0))
            case let .failure(error):
                rejected += 1
                // The error names a file of the input and an offset inside it (or the
                // segment entry count, `.config`).
                if error.file != ".config" {
                    let size = mutated[error.file]?.count
                    #expect(size != nil, "error names \(error.file), which is not among \(mutated.keys.sorted())")
                    #expect(error.offset >= 0 && error.offset <= (size ?? -1), "\(error): offset outside the file (\(size ?? -1) bytes)")
                }
            }
            // Deterministic: the same bytes give the same answer again.
            let again: Result<QueueIndexCount, IndexParseError> = Result { () throws(IndexParseError) in
                try QueueIndexReader.count(files: mutated, segmentEntryCount: fixture.segmentEntryCount)
            }
            switch (outcome, again) {
            case let (.success(a), .success(b)): #expect(a == b)
            case let (.failure(a), .failure(b)): #expect(a == b)
            default: Issue.record("the same mutated input was counted once and rejected once")
            }
        }
        // Both outcomes occur: the mutations reach past the first structural check.
        #expect(counted > 0 && rejected > 0, "counted \(counted), rejected \(rejected)")
    }
}
