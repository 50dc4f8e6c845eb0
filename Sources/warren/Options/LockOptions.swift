import ArgumentParser
import Foundation
import WarrenCore

/// `--lock-timeout SECONDS`, shared by every command that takes the repository's write lock.
struct LockOptions: ParsableArguments {
    @Option(name: .customLong("lock-timeout"), help: ArgumentHelp(
        "Seconds to wait for another writer to release the repository lock (default: the configuration file's lock-timeout, else 0: fail at once).",
        valueName: "seconds"))
    var lockTimeoutOption: Double?

    func validate() throws {
        if let lockTimeoutOption, !(lockTimeoutOption >= 0 && lockTimeoutOption.isFinite) {
            throw ValidationError("--lock-timeout must be 0 or more seconds")
        }
    }

    /// The option, else the configuration file's `lock-timeout`, else 0.
    var lockTimeout: Double { lockTimeoutOption ?? Configured.file?.lockTimeout ?? 0 }

    /// The lock settings for WarrenCore; a takeover of a dead holder's lock is reported on stderr.
    var options: RepositoryLock.Options {
        RepositoryLock.Options(timeout: lockTimeout, onTakeover: { previous in
            Terminal.note("took over the repository lock left by pid \(previous.pid) on host \(previous.host) (`warren \(previous.command)`, since \(previous.startedAt)): that process is gone")
        }, onWait: { [lockTimeout] holder in
            let who = holder.map { "pid \($0.pid) on host \($0.host) (`warren \($0.command)`, since \($0.startedAt))" } ?? "another process"
            Terminal.note("waiting up to \(String(format: "%g", lockTimeout)) s for the repository lock held by \(who)")
        }, onExpiredLease: { previous in
            Terminal.note("took over the bucket's lock object left by pid \(previous.pid) on host \(previous.host) (`warren \(previous.command)`, since \(previous.startedAt)): its lease ran out, or its process on this host is gone")
        })
    }

    /// ``options``, with take-overs of a dead `backup`/`restore` saying whether it left the
    /// broker app stopped and whether its guard started it again.
    func options(repository: String) -> RepositoryLock.Options {
        var options = self.options
        options.onTakeover = { previous in
            let note = GuardRecord.takeoverNote(previous: previous, repository: repository).map { "; " + $0 } ?? ""
            Terminal.note("took over the repository lock left by pid \(previous.pid) on host \(previous.host) (`warren \(previous.command)`, since \(previous.startedAt)): that process is gone" + note)
        }
        return options
    }
}
