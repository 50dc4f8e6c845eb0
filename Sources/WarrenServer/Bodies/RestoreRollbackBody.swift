/// `POST /v1/restores/{node}/rollback`: `warren restore --rollback --node N` (no dry run, as in the CLI).
struct RestoreRollbackBody: APIRequestBody {
    static var requiresBody: Bool { true }
    /// Needed: a rollback stops the broker app and moves vhost directories.
    var confirm: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable { case confirm }
}
