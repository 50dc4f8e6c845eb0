/// Before `backup --stop-app` stops the app: tells the caller what stopping will drop, and
/// refuses when asked to (`--refuse-loss`).
enum StopLossGate {
    static func check(_ survey: BrokerSurvey, request: BackupRequest) throws {
        request.onSurvey?(survey)
        guard request.stopApp, request.refuseLoss else { return }
        let losses = survey.losses
        if !losses.isEmpty {
            throw WarrenError.lossRefused(node: request.node, losses: losses.map(\.sentence))
        }
    }
}
