import Crypto
import Foundation

/// One password's key file: a versioned JSON document that holds the repository's master
/// key sealed under a key derived from the password with scrypt, as restic's `keys/` files
/// do. Everything but the sealed key is plaintext metadata, and all of it is authenticated
/// with the sealed key, so no field can be changed without the file failing to open.
///
/// ```json
/// {"format": "warren-key", "version": 1, "created_at": "2026-11-21T20:31:07Z",
///  "host": "mq1", "user": "root",
///  "kdf": {"name": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": "<32 bytes, base64>"},
///  "algorithm": "aes-256-gcm", "nonce": "<12 bytes, base64>",
///  "key_fingerprint": "<32 hex digits>", "sealed_master_key": "<48 bytes, base64>"}
/// ```
public struct KeyFile: Sendable, Equatable, Codable {
    public static let formatName = "warren-key"
    public static let currentVersion = 1
    /// Key files are tiny; anything larger is not one.
    public static let sizeLimit = 64 << 10

    /// scrypt's inputs for this key.
    public struct KDFParameters: Sendable, Equatable, Codable {
        public var name: String
        public var n: Int
        public var r: Int
        public var p: Int
        /// base64 of 32 random bytes.
        public var salt: String

        public var scrypt: ScryptParameters { ScryptParameters(n: n, r: r, p: p) }
    }

    public var format: String
    public var version: Int
    public var createdAt: String
    public var host: String
    public var user: String
    public var kdf: KDFParameters
    /// ``SealingAlgorithm`` name of the sealed master key.
    public var algorithm: String
    /// base64 of the 12-byte nonce.
    public var nonce: String
    /// The master key's ``MasterKey/fingerprint``.
    public var keyFingerprint: String
    /// base64 of the sealed master key (32 bytes) and its 16-byte tag.
    public var sealedMasterKey: String

    enum CodingKeys: String, CodingKey {
        case format, version, host, user, kdf, algorithm, nonce
        case createdAt = "created_at"
        case keyFingerprint = "key_fingerprint"
        case sealedMasterKey = "sealed_master_key"
    }

    /// Seals `master` under `password`.
    public static func seal(
        _ master: MasterKey, password: Password, parameters: ScryptParameters, host: String, user: String,
        createdAt: Date = Date(), algorithm: SealingAlgorithm = .aes256GCM
    ) throws(CryptoError) -> KeyFile {
        guard !password.isEmpty else { throw .emptyPassword(source: "the new key") }
        let salt = SecureRandom.bytes(32)
        let nonce = SecureRandom.bytes(SealingAlgorithm.nonceByteCount)
        var file = KeyFile(
            format: formatName, version: currentVersion, createdAt: Timestamp.format(createdAt), host: host, user: user,
            kdf: KDFParameters(name: "scrypt", n: parameters.n, r: parameters.r, p: parameters.p,
                               salt: Data(salt).base64EncodedString()),
            algorithm: algorithm.description, nonce: Data(nonce).base64EncodedString(),
            keyFingerprint: master.fingerprint, sealedMasterKey: "")
        let wrapping = try parameters.deriveKey(password: password, salt: salt)
        let sealed = master.bytes.withUnsafeBytes {
            try! algorithm.seal($0, key: wrapping, nonce: nonce, authenticating: file.associatedData)
        }
        file.sealedMasterKey = sealed.base64EncodedString()
        return file
    }

    /// The master key, if `password` is this key's password; nil if it is not.
    /// Throws only when the file itself is unusable (checked by ``validated(name:)``).
    public func open(password: Password, name: String) throws(CryptoError) -> MasterKey? {
        let parts = try validated(name: name)
        let wrapping = try kdf.scrypt.deriveKey(password: password, salt: parts.salt)
        let opened = parts.sealed.withUnsafeBytes {
            try? parts.algorithm.open($0, key: wrapping, nonce: parts.nonce, authenticating: associatedData)
        }
        guard let opened, let master = MasterKey(bytes: Array(opened)) else { return nil }
        // The fingerprint is authenticated above, so a mismatch means a forged file.
        guard master.fingerprint == keyFingerprint else {
            throw .keyFileInvalid(name: name, reason: "the key it holds does not match its recorded fingerprint")
        }
        return master
    }

    /// Decodes a key file, refusing anything that is not a complete version-1 key file.
    public static func decode(_ data: Data, name: String) throws(CryptoError) -> KeyFile {
        guard data.count <= sizeLimit else { throw .keyFileInvalid(name: name, reason: "it is \(data.count) bytes, too large") }
        let file: KeyFile
        do {
            file = try JSONDecoder().decode(KeyFile.self, from: data)
        } catch {
            throw .keyFileInvalid(name: name, reason: "it is not a Warren key file (\(Self.describe(error)))")
        }
        _ = try file.validated(name: name)
        return file
    }

    /// The document's bytes: sorted keys, so equal key files are equal byte for byte.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try! encoder.encode(self) + Data("\n".utf8)
    }

    /// The key file's id: the SHA-256 of its bytes (restic names key files the same way).
    public static func id(of data: Data) -> String {
        ContentDigest.hex(Array(SHA256.hash(data: data)))
    }

    struct Parts {
        var algorithm: SealingAlgorithm
        var salt: [UInt8]
        var nonce: [UInt8]
        var sealed: [UInt8]
    }

    func validated(name: String) throws(CryptoError) -> Parts {
        func invalid(_ reason: String) -> CryptoError { .keyFileInvalid(name: name, reason: reason) }
        guard format == Self.formatName else { throw invalid("its format is \"\(format)\", not \"\(Self.formatName)\"") }
        guard version == Self.currentVersion else {
            throw invalid(version > Self.currentVersion
                ? "it has version \(version), written by a newer Warren; upgrade warren" : "it has unknown version \(version)")
        }
        guard kdf.name == "scrypt" else { throw invalid("its key derivation \"\(kdf.name)\" is unknown") }
        if let problem = kdf.scrypt.problem { throw invalid("its scrypt parameters are refused: \(problem)") }
        guard let algorithm = SealingAlgorithm(name: algorithm) else { throw invalid("its algorithm \"\(algorithm)\" is unknown") }
        guard let salt = Data(base64Encoded: kdf.salt), salt.count >= 16 else { throw invalid("its salt is not at least 16 base64 bytes") }
        guard let nonce = Data(base64Encoded: nonce), nonce.count == SealingAlgorithm.nonceByteCount else {
            throw invalid("its nonce is not 12 base64 bytes")
        }
        guard let sealed = Data(base64Encoded: sealedMasterKey),
              sealed.count == MasterKey.byteCount + SealingAlgorithm.tagByteCount else {
            throw invalid("its sealed master key is not 48 base64 bytes")
        }
        guard keyFingerprint.utf8.count == 32, keyFingerprint.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw invalid("its key fingerprint is not 32 lower-case hex digits")
        }
        return Parts(algorithm: algorithm, salt: Array(salt), nonce: Array(nonce), sealed: Array(sealed))
    }

    /// Every field but the sealed key, one per line, in a fixed order: what the seal authenticates.
    var associatedData: [UInt8] {
        let lines = [
            "\(format) \(version)", "created_at=\(createdAt)", "host=\(host)", "user=\(user)",
            "kdf=\(kdf.name) n=\(kdf.n) r=\(kdf.r) p=\(kdf.p) salt=\(kdf.salt)", "algorithm=\(algorithm)",
            "nonce=\(nonce)", "key_fingerprint=\(keyFingerprint)",
        ]
        // Length-prefixed, so no field's content can shift into another's.
        return lines.flatMap { line -> [UInt8] in
            let bytes = Array(line.utf8)
            return withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { Array($0) } + bytes
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): return "missing field \"\(key.stringValue)\""
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted: return "malformed JSON"
        default: return "\(error)"
        }
    }
}
