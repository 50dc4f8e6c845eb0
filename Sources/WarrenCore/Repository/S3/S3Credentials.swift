/// The keys and region an S3 request is signed with. Read from the environment, as the AWS
/// tools do: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, and `AWS_DEFAULT_REGION` (else
/// `AWS_REGION`, else `us-east-1`). The secret is never part of a description.
public struct S3Credentials: Sendable, Equatable, CustomStringConvertible {
    public let accessKeyID: String
    public let secretAccessKey: String
    public let region: String

    public init(accessKeyID: String, secretAccessKey: String, region: String = "us-east-1") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.region = region
    }

    /// - Throws: ``S3Error/missingCredentials(variable:)`` naming the first variable unset or empty.
    public static func fromEnvironment(_ environment: [String: String]) throws -> S3Credentials {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let key = value("AWS_ACCESS_KEY_ID") else { throw S3Error.missingCredentials(variable: "AWS_ACCESS_KEY_ID") }
        guard let secret = value("AWS_SECRET_ACCESS_KEY") else { throw S3Error.missingCredentials(variable: "AWS_SECRET_ACCESS_KEY") }
        return S3Credentials(accessKeyID: key, secretAccessKey: secret,
                             region: value("AWS_DEFAULT_REGION") ?? value("AWS_REGION") ?? "us-east-1")
    }

    public var description: String { "access key \(accessKeyID), region \(region)" }
}
