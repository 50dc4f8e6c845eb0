import HTTPTypes
import Hummingbird
import WarrenCore

/// `/v1/schedules`: the schedules the service runs, their next runs and run history.
struct SchedulesController {
    let dependencies: ServiceDependencies

    var endpoints: RouteCollection<WarrenRequestContext> {
        let routes = RouteCollection(context: WarrenRequestContext.self)
        routes.get(use: list)
        routes.post(use: add)
        routes.get("{id}", use: show)
        routes.delete("{id}", use: remove)
        return routes
    }

    var store: ScheduleStore { ScheduleStore(catalog: dependencies.repository.catalog) }

    /// `?runs=N` (0-1000, default 5): how many of each schedule's latest runs to include.
    static func runs(_ query: Parameters) throws -> Int {
        if let unknown = query.map({ String($0.key) }).first(where: { $0 != "runs" }) {
            throw APIError.badRequest("unknown_parameter", "unknown query parameter '\(unknown.prefix(64))'")
        }
        guard let text = query["runs"].map(String.init) else { return 5 }
        guard text.count <= 4, text.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text), n <= 1000 else {
            throw APIError.badRequest("invalid_value", "runs must be an integer from 0 to 1000", details: .object(["field": .string("runs")]))
        }
        return n
    }

    @Sendable func list(_ request: Request, context: WarrenRequestContext) throws -> [Schedule] {
        try store.list(runs: try Self.runs(request.uri.queryParameters))
    }

    @Sendable func show(_ request: Request, context: WarrenRequestContext) throws -> Schedule {
        try store.get(id: try Params.id(context), runs: try Self.runs(request.uri.queryParameters))
    }

    @Sendable func add(_ request: Request, context: WarrenRequestContext) async throws -> Answer<Schedule> {
        let body = try await request.decode(as: ScheduleBody.self, context: context)
        let schedule = try store.add(body.request)
        return Answer(value: schedule, status: .created, headers: [.location: "/v1/schedules/\(schedule.id)"])
    }

    struct Removed: ResponseEncodable, Sendable { var removed: Int64 }

    @Sendable func remove(_ request: Request, context: WarrenRequestContext) throws -> Removed {
        let id = try Params.id(context)
        try store.remove(id: id)
        return Removed(removed: id)
    }
}
