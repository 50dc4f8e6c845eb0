/// A complete S3 answer.
public struct S3Response: Sendable {
    public let status: Int
    /// Lower-cased names.
    public let headers: [String: String]
    public let body: [UInt8]

    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The `<Error><Code>` and `<Message>` of an error answer, when it has an XML body.
    var errorCodeAndMessage: (code: String, message: String)? {
        guard let root = S3XMLElement.parse(body), root.name == "Error" else { return nil }
        return (root.text(of: "Code") ?? "", root.text(of: "Message") ?? "")
    }
}
