import Foundation

/// Reads a manifest's JSON body into a ``BackupManifest``.
///
/// A rebuild of 10,000 backups × 1,000 files decodes 10 million `files` entries, and
/// `JSONDecoder` spent a fifth of the rebuild on them (a keyed container, a dictionary of
/// key strings and boxed values per entry). Here the `files` array is read by hand
/// (``JSONByteScanner``), comparing keys as bytes, and the rest of the document (a few
/// hundred entries at most) by `JSONDecoder`, with `"files":[]` in its place.
///
/// The hand-read path accepts only what it reads exactly as `JSONDecoder` would; on
/// anything else (an unknown or repeated key, a number that is not a plain integer, an
/// escape it does not know, invalid UTF-8) it gives up and the whole body goes to
/// `JSONDecoder`, so results and error messages never depend on which path ran.
/// ManifestDecoderTests holds both paths equal.
enum ManifestDecoder {
    static func decode(_ body: ArraySlice<UInt8>) throws -> BackupManifest {
        let fast: (files: [BackupManifest.File], rest: [UInt8])? = body.withUnsafeBufferPointer { buffer in
            guard let range = filesValueRange(buffer), let files = parseFiles(buffer, range) else { return nil }
            var rest = [UInt8]()
            rest.reserveCapacity(buffer.count - range.count + 2)
            rest.append(contentsOf: buffer[..<range.lowerBound])
            rest.append(contentsOf: [UInt8(ascii: "["), UInt8(ascii: "]")])
            rest.append(contentsOf: buffer[range.upperBound...])
            return (files, rest)
        }
        guard let fast else { return try JSONDecoder().decode(BackupManifest.self, from: Data(body)) }
        var manifest = try JSONDecoder().decode(BackupManifest.self, from: Data(fast.rest))
        manifest.files = fast.files
        return manifest
    }

    /// Where the value of the top-level key `files` lies; nil when the body is not a plain
    /// object, has no such key, has it twice, or has a key with an escape (which might
    /// spell `files`).
    static func filesValueRange(_ buffer: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var scanner = JSONByteScanner(buffer)
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var found: Range<Int>?
        if scanner.consume(UInt8(ascii: "}")) { return nil }
        repeat {
            guard let key = scanner.plainStringBytes(), scanner.consume(UInt8(ascii: ":")) else { return nil }
            scanner.skipWhitespace()
            let start = scanner.index
            guard scanner.skipValue() else { return nil }
            if equal(buffer, key, filesKey) {
                guard found == nil else { return nil }
                found = start..<scanner.index
            }
        } while scanner.consume(UInt8(ascii: ","))
        guard scanner.consume(UInt8(ascii: "}")) else { return nil }
        scanner.skipWhitespace()
        return scanner.atEnd ? found : nil
    }

    /// The entries of a `files` array, or nil to let `JSONDecoder` decide.
    static func parseFiles(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [BackupManifest.File]? {
        var scanner = JSONByteScanner(UnsafeBufferPointer(rebasing: buffer[..<range.upperBound]), from: range.lowerBound)
        guard scanner.consume(UInt8(ascii: "[")) else { return nil }
        var files: [BackupManifest.File] = []
        if scanner.consume(UInt8(ascii: "]")) { return files }
        repeat {
            guard let file = parseFile(&scanner) else { return nil }
            files.append(file)
        } while scanner.consume(UInt8(ascii: ","))
        guard scanner.consume(UInt8(ascii: "]")) else { return nil }
        scanner.skipWhitespace()
        return scanner.atEnd ? files : nil
    }

    private static func parseFile(_ scanner: inout JSONByteScanner) -> BackupManifest.File? {
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var path: String?, sha256: String?, kind: FileKind?, size: Int64?
        var vhostDir: String?, queueDir: String?, mtimeNs: Int64?, ctimeNs: Int64?, inode: Int64?
        var seen: UInt16 = 0
        if !scanner.consume(UInt8(ascii: "}")) {
            repeat {
                guard let key = scanner.plainStringBytes(), scanner.consume(UInt8(ascii: ":")) else { return nil }
                guard let field = Field(scanner.bytes, key), seen & field.bit == 0 else { return nil }
                seen |= field.bit
                switch field {
                case .path: guard let v = scanner.string() else { return nil }; path = v
                case .sha256: guard let v = scanner.string() else { return nil }; sha256 = v
                case .kind: guard let v = scanner.string(), let k = FileKind(rawValue: v) else { return nil }; kind = k
                case .size: guard let v = scanner.int64() else { return nil }; size = v
                case .vhostDir: guard optionalString(&scanner, into: &vhostDir) else { return nil }
                case .queueDir: guard optionalString(&scanner, into: &queueDir) else { return nil }
                case .mtimeNs: guard optionalInt(&scanner, into: &mtimeNs) else { return nil }
                case .ctimeNs: guard optionalInt(&scanner, into: &ctimeNs) else { return nil }
                case .inode: guard optionalInt(&scanner, into: &inode) else { return nil }
                }
            } while scanner.consume(UInt8(ascii: ","))
            guard scanner.consume(UInt8(ascii: "}")) else { return nil }
        }
        guard let path, let size, let sha256, let kind else { return nil }
        return BackupManifest.File(path: path, size: size, sha256: sha256, kind: kind, vhostDir: vhostDir, queueDir: queueDir,
                                   mtimeNs: mtimeNs, ctimeNs: ctimeNs, inode: inode)
    }

    private static func optionalString(_ scanner: inout JSONByteScanner, into value: inout String?) -> Bool {
        if scanner.null() { return true }
        guard let v = scanner.string() else { return false }
        value = v
        return true
    }

    private static func optionalInt(_ scanner: inout JSONByteScanner, into value: inout Int64?) -> Bool {
        if scanner.null() { return true }
        guard let v = scanner.int64() else { return false }
        value = v
        return true
    }

    private static let filesKey = Array(BackupManifest.CodingKeys.files.rawValue.utf8)

    private static func equal(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ key: [UInt8]) -> Bool {
        range.count == key.count && buffer[range].elementsEqual(key)
    }

    /// The keys of ``BackupManifest/File`` (its `CodingKeys`), matched as bytes.
    private enum Field: CaseIterable {
        case path, size, sha256, kind, vhostDir, queueDir, mtimeNs, ctimeNs, inode

        var bit: UInt16 {
            switch self {
            case .path: 1
            case .size: 2
            case .sha256: 4
            case .kind: 8
            case .vhostDir: 16
            case .queueDir: 32
            case .mtimeNs: 64
            case .ctimeNs: 128
            case .inode: 256
            }
        }

        /// The key as ``BackupManifest/File``'s `CodingKeys` spell it, so the two cannot drift.
        var codingKey: BackupManifest.File.CodingKeys {
            switch self {
            case .path: .path
            case .size: .size
            case .sha256: .sha256
            case .kind: .kind
            case .vhostDir: .vhostDir
            case .queueDir: .queueDir
            case .mtimeNs: .mtimeNs
            case .ctimeNs: .ctimeNs
            case .inode: .inode
            }
        }

        static let keyBytes: [(field: Field, bytes: [UInt8])] = allCases.map { ($0, Array($0.codingKey.rawValue.utf8)) }

        init?(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
            for entry in Field.keyBytes where entry.bytes.count == range.count
                && entry.bytes.withUnsafeBufferPointer({ $0.elementsEqual(buffer[range]) }) {
                self = entry.field
                return
            }
            return nil
        }
    }
}
