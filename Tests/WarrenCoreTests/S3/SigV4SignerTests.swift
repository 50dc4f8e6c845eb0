import Foundation
import Testing
@testable import WarrenCore

/// The worked examples of AWS's S3 API reference, "Signature Calculations for the
/// Authorization Header: Transferring Payload in a Single Chunk" (sig-v4-header-based-auth):
/// their canonical requests, strings to sign and signatures, with the example keys.
@Suite struct SigV4SignerTests {
    static let signer = SigV4Signer(credentials: S3Credentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1"))
    /// 20130524T000000Z.
    static let date = Date(timeIntervalSince1970: 1_369_353_600)
    static let host = (name: "host", value: "examplebucket.s3.amazonaws.com")
    static let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    static func stringToSign(_ canonicalHash: String) -> String {
        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n" + canonicalHash
    }

    @Test func getObjectExample() {
        let signed = Self.signer.sign(method: "GET", path: "/test.txt", query: [],
                                      headers: [Self.host, (name: "Range", value: "bytes=0-9")],
                                      payloadHash: SigV4Signer.emptyPayloadHash, date: Self.date)
        #expect(signed.canonicalRequest == """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:\(Self.empty)
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            \(Self.empty)
            """)
        #expect(signed.stringToSign == Self.stringToSign("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"))
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signed.authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func putObjectExample() {
        let body = Array("Welcome to Amazon S3.".utf8)
        let hash = SigV4Signer.hexSHA256(body)
        #expect(hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let signed = Self.signer.sign(method: "PUT", path: "/test$file.text", query: [],
                                      headers: [(name: "Date", value: "Fri, 24 May 2013 00:00:00 GMT"), Self.host,
                                                (name: "x-amz-storage-class", value: "REDUCED_REDUNDANCY")],
                                      payloadHash: hash, date: Self.date)
        #expect(signed.canonicalRequest == """
            PUT
            /test%24file.text

            date:Fri, 24 May 2013 00:00:00 GMT
            host:examplebucket.s3.amazonaws.com
            x-amz-content-sha256:\(hash)
            x-amz-date:20130524T000000Z
            x-amz-storage-class:REDUCED_REDUNDANCY

            date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class
            \(hash)
            """)
        #expect(signed.stringToSign == Self.stringToSign("9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"))
        #expect(signed.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func getBucketLifecycleExample() {
        let signed = Self.signer.sign(method: "GET", path: "/", query: [(name: "lifecycle", value: "")], headers: [Self.host],
                                      payloadHash: SigV4Signer.emptyPayloadHash, date: Self.date)
        #expect(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "lifecycle=")
        #expect(signed.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    /// The query is sorted by name whatever order it was given in.
    @Test func listObjectsExample() {
        let signed = Self.signer.sign(method: "GET", path: "/", query: [(name: "prefix", value: "J"), (name: "max-keys", value: "2")],
                                      headers: [Self.host], payloadHash: SigV4Signer.emptyPayloadHash, date: Self.date)
        #expect(signed.canonicalRequest == """
            GET
            /
            max-keys=2&prefix=J
            host:examplebucket.s3.amazonaws.com
            x-amz-content-sha256:\(Self.empty)
            x-amz-date:20130524T000000Z

            host;x-amz-content-sha256;x-amz-date
            \(Self.empty)
            """)
        #expect(signed.stringToSign == Self.stringToSign("df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7"))
        #expect(signed.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    /// A wrong secret gives another signature (what the server's SignatureDoesNotMatch detects).
    @Test func otherSecretOtherSignature() {
        let other = SigV4Signer(credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wrong", region: "us-east-1"))
        let signed = other.sign(method: "GET", path: "/test.txt", query: [], headers: [Self.host, (name: "Range", value: "bytes=0-9")],
                                payloadHash: SigV4Signer.emptyPayloadHash, date: Self.date)
        #expect(signed.signature != "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func uriEncoding() {
        #expect(AWSURIEncoding.path("/bucket/a b/c$d~e_f-g.h") == "/bucket/a%20b/c%24d~e_f-g.h")
        #expect(AWSURIEncoding.queryComponent("a/b=c&d") == "a%2Fb%3Dc%26d")
        #expect(AWSURIEncoding.path("/é") == "/%C3%A9")
    }

    @Test func headerValuesTrimmedAndRunsCollapsed() {
        #expect(SigV4Signer.trimmed("  a   b  c ") == "a b c")
    }
}
