import Foundation

/// A JSON request body: a `Decodable` struct whose `CodingKeys` list every field it takes,
/// so that ``StrictRequestDecoder`` refuses the others.
protocol APIRequestBody: Codable, Sendable {
    associatedtype CodingKeys: CodingKey & CaseIterable
    /// Whether an empty body is refused (`empty_body`) rather than read as `{}`.
    static var requiresBody: Bool { get }
}

extension APIRequestBody {
    static var requiresBody: Bool { false }
    /// The JSON names of the fields this body takes.
    static var fieldNames: [String] { CodingKeys.allCases.map(\.stringValue) }
}
