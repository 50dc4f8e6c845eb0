import Foundation
import Testing

/// `Tools/kill-test` with a small count, so that CI runs the random-kill script too (the
/// 20 + 20 run is in the note of issue 12).
@Suite struct KillTestScriptEndToEndTests {
    @Test func randomSIGKILLsLeaveNoStoppedAppAndNoSilentPartialVhost() throws {
        let result = try Command.run(Command.packageRoot + "/Tools/kill-test", ["--runs", "2", "--binary", Warren.binary])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("0 left the app stopped") && result.stdout.contains("0 partly restored without a report"), "\(result.stdout)")
        #expect(result.stdout.contains("kill-test: OK"))
    }
}
