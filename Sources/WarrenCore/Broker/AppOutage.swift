/// The window in which the broker app is stopped: `stop_app`, the work, and `start_app`
/// whatever happened, with a ``BrokerGuard`` watching from before the stop until the app is
/// running again, so that not even a SIGKILL of Warren leaves the app down.
struct AppOutage {
    var broker: BrokerControl
    var guardLauncher: BrokerGuard.Launcher?
    var repository: String

    /// Stops the app, runs `body`, and starts the app again. Returns what `body` returned or
    /// threw; a failed `start_app` is thrown as ``WarrenError/stepFailed(step:detail:)``
    /// ending with `context(result)`.
    func run<T>(context: (Result<T, Error>) -> String, _ body: () throws -> T) throws -> Result<T, Error> {
        let watchdog = try guardLauncher.map { try BrokerGuard.start($0, broker: broker, repository: repository) }
        defer { watchdog?.dismiss() }
        do {
            try broker.stopApp()
        } catch {
            // A stop that failed or timed out may have stopped the app anyway.
            try? broker.startApp()
            throw error
        }
        let result = Result { try body() }
        do {
            try broker.startApp()
        } catch {
            var why = ""
            if case .brokerTimeout = error as? WarrenError {
                why = " The node did not finish starting: it may be unable to recover its queues (see its log; a low open-files limit, EMFILE, with many queues is a known cause)."
            }
            throw WarrenError.stepFailed(step: "start_app after the copy", detail: "\(error).\(why) The broker app is NOT running: start it with `rabbitmqctl -n \(broker.node) start_app`. " + context(result))
        }
        return result
    }
}
