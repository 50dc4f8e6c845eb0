import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WarrenServer

/// The OpenAPI document: the embedded copy is docs/openapi.json, it is served, and it
/// documents exactly the router's routes.
@Suite struct OpenAPITests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func embeddedCopyEqualsTheFileInTheRepository() throws {
        let file = try String(contentsOfFile: Self.packageRoot + "/docs/openapi.json", encoding: .utf8)
        #expect(file == OpenAPIDocument.json, "run Tools/openapi.py and commit both outputs")
        _ = try JSONSerialization.jsonObject(with: Data(file.utf8))
    }

    @Test func everyRouteIsDocumentedAndViceVersa() throws {
        let fixture = try Fixture(backups: 0)
        let router = buildRouter(dependencies: fixture.service)
        let routed = Set(router.routes.map { "\($0.method.rawValue.uppercased()) \($0.path.description)" })
        let document = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any] ?? [:]
        var documented = Set<String>()
        for (path, item) in document["paths"] as? [String: [String: Any]] ?? [:] {
            for method in item.keys where ["get", "put", "post", "delete", "patch", "head"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        #expect(routed.count > 10)
        #expect(routed.subtracting(documented).isEmpty, "undocumented: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
    }

    @Test func servedAtV1OpenAPIJSON() async throws {
        let fixture = try Fixture(backups: 0)
        try await fixture.app().test(.router) { client in
            let answer = try await client.call(.get, "/v1/openapi.json")
            #expect(answer.status == 200)
            #expect(answer.text == OpenAPIDocument.json)
            #expect(answer.headers[.contentType] == "application/json")
        }
    }
}
