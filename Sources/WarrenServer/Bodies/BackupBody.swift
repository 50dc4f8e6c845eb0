import WarrenCore

/// `POST /v1/backups`.
struct BackupBody: APIRequestBody {
    static var requiresBody: Bool { true }
    var node: String
    var dataDir: String?
    var stopApp: Bool?
    var label: String?
    var rehash: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case node, dataDir = "data_dir", stopApp = "stop_app", label, rehash
    }

    func request(rabbitmqctl: String) -> BackupRequest {
        BackupRequest(node: node, dataDirectory: dataDir, stopApp: stopApp ?? false, label: label, rehash: rehash ?? false, rabbitmqctl: rabbitmqctl)
    }
}
