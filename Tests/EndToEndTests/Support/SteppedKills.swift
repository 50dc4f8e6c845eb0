import Foundation
import Testing

/// SIGKILL loops whose kills land at chosen points, whatever the machine's speed: each run
/// is stepped (``ProcessStepper``) until its point is reached in the repository, then
/// killed while stopped. Points come round in turn. A run that passes its point within one
/// slice (``KillPoint/overshot``) is let finish and must succeed; the loop goes on until
/// `wanted` kills landed (at most 3 × `wanted` runs).
enum SteppedKills {
    /// Where a run is killed; both closures are evaluated while the process is stopped.
    struct KillPoint {
        var name: String
        var reached: () throws -> Bool
        var overshot: () throws -> Bool = { false }
    }

    struct Outcome {
        var runs = 0
        var kills = 0
        /// The point of each kill, in order.
        var hit: [String] = []
    }

    /// - Parameters:
    ///   - point: the point for run N (1-based), made before the run starts (it captures
    ///     the repository's state before it).
    ///   - prepare: called before each run's point is made (a fresh tree, say).
    ///   - recovered: called after each run (killed or not) with a description of it.
    static func loop(wanted: Int, kind: String, slice: useconds_t = 1_000, distinctPoints: Int,
                     prepare: (Int) throws -> Void = { _ in }, point: (Int) throws -> KillPoint,
                     start: (Int) throws -> Spawned, recovered: (String) throws -> Void) throws -> Outcome {
        var outcome = Outcome()
        while outcome.kills < wanted && outcome.runs < 3 * wanted {
            outcome.runs += 1
            let run = outcome.runs
            try prepare(run)
            let at = try point(run)
            let process = try start(run)
            let reached = try ProcessStepper.stopWhen(process.pid, slice: slice, reached: at.reached, overshot: at.overshot)
            if reached { process.sigkill() }
            let result = process.wait(killingAfter: 600)
            if reached {
                #expect(result.status == 128 + SIGKILL, "\(kind) run \(run) (\(at.name)): \(result.stdout) \(result.stderr)")
                outcome.kills += 1
                outcome.hit.append(at.name)
            } else {
                #expect(result.status == 0, "\(kind) run \(run) passed \(at.name) and finished: \(result.stdout) \(result.stderr)")
            }
            try recovered("\(kind) run \(run) (\(reached ? "SIGKILL at \(at.name)" : "no kill"))")
        }
        #expect(outcome.kills >= wanted, "\(kind): only \(outcome.kills) SIGKILLs landed at their point in \(outcome.runs) runs: \(outcome.hit)")
        #expect(Set(outcome.hit).count >= distinctPoints, "\(kind): kills at \(distinctPoints) points at least: \(outcome.hit)")
        return outcome
    }
}
