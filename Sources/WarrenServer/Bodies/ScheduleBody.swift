import WarrenCore

/// `POST /v1/schedules`. Hooks are CLI-only (`schedule add --pre-hook`): the service never
/// runs a command that a client sent.
struct ScheduleBody: APIRequestBody {
    var node: String
    var every: String?
    var at: String?
    var jitter: String?
    var stopApp: Bool?
    var label: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case node, every, at, jitter, stopApp = "stop_app", label
    }

    static var requiresBody: Bool { true }

    var request: ScheduleRequest {
        ScheduleRequest(node: node, every: every, at: at, jitter: jitter, stopApp: stopApp ?? false, label: label)
    }
}
