import ArgumentParser
import Foundation
import WarrenCore

/// Runs a command body and turns a ``WarrenError`` into a message on stderr (plus a JSON
/// error object on stdout under --json) and the error's stable exit code.
enum CommandRunner {
    static func run(json: Bool, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as WarrenError {
            Terminal.error(error.description)
            if json {
                struct Body: Encodable { var error: Detail }
                struct Detail: Encodable { var code: String; var message: String }
                if let text = try? WarrenJSON.string(Body(error: .init(code: error.code, message: error.description))) {
                    print(text)
                }
            }
            throw ExitCode(error.exitCode)
        }
    }
}
