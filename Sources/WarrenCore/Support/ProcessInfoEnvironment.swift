import Foundation

/// The process environment, for handing on to child processes.
enum ProcessInfoEnvironment {
    static var current: [String: String] { ProcessInfo.processInfo.environment }
}
