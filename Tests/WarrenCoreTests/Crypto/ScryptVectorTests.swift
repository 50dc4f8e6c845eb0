import Foundation
import Testing
@testable import WarrenCore

/// scrypt through Warren's wrapper against RFC 7914 §12's test vectors (all four; the last
/// needs 1 GiB for a few seconds).
@Suite struct ScryptVectorTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var password: String
        var salt: String
        var n: Int
        var r: Int
        var p: Int
        var key: String
        var testDescription: String { "N=\(n) r=\(r) p=\(p)" }
    }

    static let vectors = [
        Vector(password: "", salt: "", n: 16, r: 1, p: 1,
               key: "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"),
        Vector(password: "password", salt: "NaCl", n: 1024, r: 8, p: 16,
               key: "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"),
        Vector(password: "pleaseletmein", salt: "SodiumChloride", n: 16384, r: 8, p: 1,
               key: "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"),
        Vector(password: "pleaseletmein", salt: "SodiumChloride", n: 1_048_576, r: 8, p: 1,
               key: "2101cb9b6a511aaeaddbbe09cf70f881ec568d574a2ffd4dabe5ee9820adaa478e56fd8f4ba5d09ffa1c6d927c40f4c337304049e8a952fbcbf45c6fa77a41a4"),
    ]

    @Test(arguments: vectors) func rfc7914(_ v: Vector) throws {
        let parameters = ScryptParameters(n: v.n, r: v.r, p: v.p)
        #expect(parameters.problem == nil)
        let key = try parameters.deriveKey(password: Password(v.password), salt: Array(v.salt.utf8), count: 64)
        #expect(key.withUnsafeBytes { ContentDigest.hex(Array($0)) } == v.key)
    }

    @Test func outOfBoundsParametersAreRefusedBeforeAnyWork() {
        let cases: [(ScryptParameters, String)] = [
            (ScryptParameters(n: 1000, r: 8, p: 1), "N must be a power of two, at least 2 (got 1000)"),
            (ScryptParameters(n: 1, r: 8, p: 1), "N must be a power of two, at least 2 (got 1)"),
            (ScryptParameters(n: 1 << 15, r: 0, p: 1), "r must be 1…16 (got 0)"),
            (ScryptParameters(n: 1 << 15, r: 17, p: 1), "r must be 1…16 (got 17)"),
            (ScryptParameters(n: 1 << 15, r: 8, p: 0), "p must be 1…64 (got 0)"),
            (ScryptParameters(n: 1 << 21, r: 8, p: 1), "they need 2048 MiB, more than the 1 GiB limit"),
        ]
        for (parameters, problem) in cases {
            #expect(parameters.problem == problem)
            #expect(throws: CryptoError.invalidScryptParameters(reason: problem)) {
                try parameters.deriveKey(password: Password("x"), salt: [1, 2, 3])
            }
        }
        #expect(ScryptParameters.standard.problem == nil)
        #expect(ScryptParameters.standard.memoryBytes == 128 * 8 * ((1 << 15) + 2))
    }
}
