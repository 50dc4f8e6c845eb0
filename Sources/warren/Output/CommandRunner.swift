import ArgumentParser
import Foundation
import WarrenCore

/// Runs a command body and turns a ``WarrenError`` into a message on stderr (plus a JSON
/// error object on stdout under --json) and the error's stable exit code. Under --verbose,
/// the full text of a failed rabbitmqctl call follows the one-line message.
enum CommandRunner {
    static func run(json: Bool, _ body: () throws -> Void) throws {
        // What the command cost against a bucket, under --verbose, however it ended.
        defer { S3RequestTally.shared.drainSummary().map { Terminal.detail("s3 requests: " + $0) } }
        do {
            try body()
        } catch let error as WarrenError {
            Terminal.error(error.cliMessage)
            if let output = error.rabbitmqctlOutput {
                Terminal.detail("rabbitmqctl printed:\n" + output.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
            }
            if json { ErrorBody(code: error.code, message: error.cliMessage).print() }
            throw ExitCode(error.exitCode)
        } catch let error as S3Error {
            try run(json: json) { throw WarrenError.s3(error) }
        } catch let error as ServiceClient.Failure {
            Terminal.error(error.message)
            if json { ErrorBody(code: error.code, message: error.message).print() }
            throw ExitCode(error.exitCode)
        }
    }
}

extension CommandRunner {
    static func runAsync(json: Bool, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as WarrenError {
            try run(json: json) { throw error }
        } catch let error as S3Error {
            try run(json: json) { throw error }
        } catch let error as ServiceClient.Failure {
            try run(json: json) { throw error }
        }
    }
}
