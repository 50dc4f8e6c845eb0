/// `POST /v1/restores/{node}/resume`: `warren restore --resume --node N [--dry-run]`.
struct RestoreResumeBody: APIRequestBody {
    static var requiresBody: Bool { true }
    var dryRun: Bool?
    /// Needed unless `dry_run`: a resume writes into the node's directory again.
    var confirm: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dryRun = "dry_run", confirm
    }
}
