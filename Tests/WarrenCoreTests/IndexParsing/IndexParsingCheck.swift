import Testing
@testable import WarrenCore

enum IndexParsingCheck {
    /// The `IndexParseError` thrown by `body`, `nil` when it returns; any other error is a
    /// test failure (the parsers only throw `IndexParseError`).
    static func error(_ body: () throws -> QueueIndexCount, sourceLocation: SourceLocation = #_sourceLocation) -> IndexParseError? {
        do {
            _ = try body()
            return nil
        } catch let error as IndexParseError {
            return error
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }
}
