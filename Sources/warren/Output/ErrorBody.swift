import WarrenCore

/// The JSON error object printed on stdout under `--json`: `{"error": {"code": …, "message": …}}`,
/// the same shape as the service's error bodies.
struct ErrorBody: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
    }

    var error: Detail

    init(code: String, message: String) {
        error = Detail(code: code, message: message)
    }

    /// Prints the object on stdout; encoding a pair of strings cannot fail in practice.
    func print() {
        if let text = try? WarrenJSON.string(self) { Swift.print(text) }
    }
}
