import Foundation
import Testing
@testable import WarrenCore

/// ``ManifestDecoder`` reads `files` by hand and everything else with `JSONDecoder`: these
/// tests hold it equal to `JSONDecoder` on every input, the odd ones included, and pin that
/// the hand-read path really runs on what Warren writes (else it would be no faster).
@Suite struct ManifestDecoderTests {
    /// One path's outcome: the manifest, or the error's description.
    enum Outcome: Equatable {
        case decoded(BackupManifest)
        case failed(String)

        init(_ body: () throws -> BackupManifest) {
            do { self = .decoded(try body()) } catch { self = .failed("\(error)") }
        }
    }

    private func bothWays(_ body: String) -> (fast: Outcome, plain: Outcome) {
        let bytes = Array(body.utf8)
        return (Outcome { try ManifestDecoder.decode(bytes[...]) },
                Outcome { try JSONDecoder().decode(BackupManifest.self, from: Data(bytes)) })
    }

    private func handReads(_ body: String) -> [BackupManifest.File]? {
        let bytes = Array(body.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            ManifestDecoder.filesValueRange(buffer).flatMap { ManifestDecoder.parseFiles(buffer, $0) }
        }
    }

    private var golden: BackupManifest {
        get throws { try JSONDecoder().decode(BackupManifest.self, from: Data(ManifestKeysTests.golden.utf8)) }
    }

    @Test func theGoldenManifestIsReadByHandAndEqualsJSONDecoder() throws {
        let files = try #require(handReads(ManifestKeysTests.golden))
        #expect(files == (try golden).files)
        let (fast, plain) = bothWays(ManifestKeysTests.golden)
        #expect(fast == .decoded(try golden))
        #expect(fast == plain)
    }

    /// Random files with awkward paths (escapes, quotes, slashes, control characters,
    /// non-ASCII, astral characters), extreme integers and missing optionals, as Warren's own
    /// encoder writes them.
    @Test func encodedManifestsWithOddFilesReadTheSameByHand() throws {
        var manifest = try golden
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "/", "\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "é", "日本", "😀", "\u{7F}", " ", "{", "}", ",", ":", "[", "]", "\u{2028}"]
        let integers: [Int64?] = [nil, 0, 1, -1, Int64.max, Int64.min, 1_700_000_000_000_000_002, 42]
        for _ in 0..<200 {
            manifest.files = (0..<Int.random(in: 0...20, using: &generator)).map { n in
                let path = (0..<Int.random(in: 1...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
                return BackupManifest.File(
                    path: path + "\(n)", size: integers.compactMap { $0 }.randomElement(using: &generator)!,
                    sha256: String(repeating: "ab", count: 32), kind: FileKind.allCases.randomElement(using: &generator)!,
                    vhostDir: Bool.random(using: &generator) ? nil : path, queueDir: Bool.random(using: &generator) ? nil : "q\(n)",
                    mtimeNs: integers.randomElement(using: &generator)!, ctimeNs: integers.randomElement(using: &generator)!,
                    inode: integers.randomElement(using: &generator)!)
            }
            let stored = try ManifestStore.encoded(manifest)
            let body = String(decoding: stored[(stored.firstIndex(of: UInt8(ascii: "\n"))! + 1)...], as: UTF8.self)
            #expect(handReads(body) == manifest.files)
            #expect(try ManifestDecoder.decode(Array(body.utf8)[...]) == manifest)
        }
    }

    /// Inputs JSONDecoder accepts or refuses that Warren does not write: the hand path must
    /// either read them exactly as JSONDecoder does or leave them to it (same error).
    @Test(arguments: [
        // Whitespace everywhere, and escapes Warren's encoder does not write.
        #"{ "path" : "a\u00e9\/b\ud83d\ude00" , "size" : 3 , "sha256" : "x" , "kind" : "rdq" , "inode" : null }"#,
        // An unknown key (JSONDecoder ignores it).
        #"{"path":"a","size":3,"sha256":"x","kind":"rdq","extra":{"n":[1,2]}}"#,
        // A repeated key, an escaped key, a fraction, an exponent, a leading zero.
        #"{"path":"a","path":"b","size":3,"sha256":"x","kind":"rdq"}"#,
        #"{"p\u0061th":"a","size":3,"sha256":"x","kind":"rdq"}"#,
        #"{"path":"a","size":3.0,"sha256":"x","kind":"rdq"}"#,
        #"{"path":"a","size":3e2,"sha256":"x","kind":"rdq"}"#,
        #"{"path":"a","size":03,"sha256":"x","kind":"rdq"}"#,
        // Out of range, a lone surrogate, an unknown kind, a missing key, a wrong type.
        #"{"path":"a","size":9223372036854775808,"sha256":"x","kind":"rdq"}"#,
        #"{"path":"a\ud800","size":3,"sha256":"x","kind":"rdq"}"#,
        #"{"path":"a","size":3,"sha256":"x","kind":"nonsense"}"#,
        #"{"path":"a","sha256":"x","kind":"rdq"}"#,
        #"{"path":7,"size":3,"sha256":"x","kind":"rdq"}"#,
        #"{"path":"a","size":"3","sha256":"x","kind":"rdq","vhost_dir":5}"#,
    ])
    func unusualFileEntriesDecodeAsJSONDecoderDecodesThem(entry: String) throws {
        let golden = ManifestKeysTests.golden
        let start = try #require(golden.range(of: #""files":["#))
        let end = try #require(golden[start.upperBound...].range(of: #"],"inventory""#))
        let body = String(golden[..<start.upperBound]) + entry + String(golden[end.lowerBound...])
        let (fast, plain) = bothWays(body)
        #expect(fast == plain, "\(entry)")
    }

    @Test func aDocumentThatIsNotAnObjectOrIsCutShortFailsAsJSONDecoderFails() {
        for body in ["", "[]", "{", #"{"files":[{"path":"a""#, #"{"files":[]} x"#, ManifestKeysTests.golden + "}"] {
            let (fast, plain) = bothWays(body)
            guard case .failed = plain else {
                Issue.record("\(body.prefix(40)) decoded")
                continue
            }
            #expect(fast == plain)
        }
    }
}
