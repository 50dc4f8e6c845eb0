/// `PUT /v1/backups/{id}/pin` (an empty body pins without a note).
struct PinBody: APIRequestBody {
    var note: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case note }
}
