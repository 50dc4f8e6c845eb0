import Hummingbird

/// The router's paths and their methods: an unknown method on a known path is 405 with
/// `Allow`, not 404.
struct RouteTable: Sendable {
    private let routes: [(segments: [String], method: String)]

    init(_ routes: [Router<WarrenRequestContext>.RouteDescription]) {
        self.routes = routes.map { ($0.path.description.split(separator: "/").map(String.init), $0.method.rawValue.uppercased()) }
    }

    /// The methods routed on `path`, sorted; empty for an unknown path.
    func methods(for path: String) -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return routes.filter { route in
            route.segments.count == parts.count && zip(route.segments, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.map(\.method).sorted()
    }
}
