import Foundation

/// Every failure Warren reports to a user. Each case carries what the user needs to fix it,
/// and maps to a stable process exit code (see ``exitCode``).
public enum WarrenError: Error, Sendable, Equatable {
    /// No repository at `path` (missing directory, or not created by `warren init`).
    case repositoryNotFound(path: String, reason: String)
    /// `warren init` on a directory that already holds something.
    case repositoryExists(path: String, reason: String)
    /// The catalog was written by a newer Warren.
    case catalogTooNew(path: String, detail: String)
    /// A backup id that the catalog does not hold.
    case backupNotFound(id: Int64)
    /// A backup id that prune or forget deleted (the catalog's `deleted_backup` record).
    case backupDeleted(id: Int64, node: String, deletedAt: String, cause: BackupDeletionCause)
    /// A backup directory or definitions file that cannot be registered.
    case invalidBackup(path: String, reason: String)
    /// A definitions file that cannot be used.
    case invalidDefinitions(path: String, reason: String)
    /// An argument the user gave is not acceptable.
    case invalidArgument(name: String, reason: String)
    /// A system call failed on `path`.
    case io(path: String, operation: String, errno: Int32)
    /// The file system holding `path` has (almost) no free space left (`available` bytes),
    /// so `operation` could not be done.
    case diskFull(path: String, operation: String, available: Int64)
    /// The catalog database failed.
    case catalog(detail: String)
    /// A step against a running broker failed. `detail` is one line; `output` is what
    /// rabbitmqctl printed (ANSI escapes removed), for `--verbose` and the log.
    case broker(node: String, step: String, detail: String, output: String = "")
    /// Another process holds the repository's write lock (see ``RepositoryLock``); `holder`
    /// is its record when it could be read, `waited` the seconds spent waiting.
    case lockHeld(path: String, holder: LockHolder?, waited: Double)
    /// A --pre-hook or --post-hook exited non-zero.
    case hookFailed(phase: String, command: String, status: Int32, output: String)
    /// A backup or restore step failed; `detail` says what was and was not done.
    case stepFailed(step: String, detail: String)
    /// A restore was refused before anything was changed.
    case restoreRefused(reason: String)
    /// `backup --stop-app --refuse-loss`: stopping the app would drop `losses` (one sentence
    /// each); refused before the app was stopped, nothing stored.
    case lossRefused(node: String, losses: [String])
    /// A restore step failed after the restore had changed the target node: `changes` says
    /// what was changed (one sentence each), `undo` how to undo it (commands or Warren's
    /// own `restore --rollback`), `detail` the step's own error (issue 16 §3).
    case targetChanged(node: String, step: String, detail: String, changes: [String], undo: [String])
    /// The operation was interrupted (SIGINT / SIGTERM) and stopped cleanly.
    case interrupted(detail: String)
    /// A `warren serve` process serves this repository and holds its catalog open: refused for
    /// the few writers that cannot share it with the service (a second `serve`, `catalog rebuild`).
    case serviceRunning(socket: String, pid: Int32)
    /// A password, key or sealed object could not be used (see ``CryptoError``).
    case crypto(CryptoError)
    /// A `rabbitmqctl` step did not finish within its time-out; it was ended (exit 12).
    case brokerTimeout(node: String, step: String, seconds: Double, detail: String)
    /// A restore of `node` was interrupted (the process died); its journal says how far it got (exit 13).
    case restoreInterrupted(node: String, journal: String, detail: String)
    /// `warren catalog rebuild` would replace a catalog it must not (healthy, or an
    /// existing --output file) without --force (exit 15).
    case rebuildRefused(path: String, reason: String)
    /// An S3 repository or request failed (see ``S3Error``): exit 2 for refused credentials, else 22.
    case s3(S3Error)
    /// Exclusions (queue globs, vhosts) that match nothing in the backup, while unmatched
    /// exclusions are not allowed (exit 64, code `exclusion_unmatched`; HTTP 409: the request
    /// is well formed, but conflicts with what the backup holds). Domain fields only:
    /// each face words them (see ``UnmatchedExclusions/message(queueOption:vhostOption:allowHint:)``).
    case unmatchedExclusions(UnmatchedExclusions)
    /// A schedule id that the catalog does not hold (exit 64).
    case scheduleNotFound(id: Int64)
    /// The configuration file (``ConfigurationFile``) cannot be used (exit 19); `line` is 1-based.
    case configurationInvalid(path: String, line: Int?, reason: String)

    /// Stable exit codes. 1 is reserved for "the check ran and found problems"
    /// (not viable, check failures); 64 is the argument parser's usage error.
    public var exitCode: Int32 {
        switch self {
        case .repositoryNotFound, .repositoryExists, .catalogTooNew: return 2
        case .backupNotFound, .backupDeleted: return 3
        case .invalidBackup, .invalidDefinitions: return 4
        case .invalidArgument, .unmatchedExclusions, .scheduleNotFound: return 64
        case .io, .diskFull: return 5
        case .catalog: return 6
        case .broker: return 7
        case .lockHeld, .serviceRunning: return 8
        case .hookFailed, .stepFailed: return 10
        case .restoreRefused: return 9
        case .rebuildRefused: return 15
        case .configurationInvalid: return 19
        case .lossRefused: return 14
        case .targetChanged: return 17
        case .interrupted: return 130
        case let .crypto(error): return error.exitCode
        case .brokerTimeout: return 12
        case .restoreInterrupted: return 13
        case let .s3(error): return error.exitCode
        }
    }

    /// A stable machine-readable code, used in JSON error bodies.
    public var code: String {
        switch self {
        case .repositoryNotFound: return "repository_not_found"
        case .repositoryExists: return "repository_exists"
        case .catalogTooNew: return "catalog_too_new"
        case .backupNotFound, .backupDeleted: return "backup_not_found"
        case .invalidBackup: return "invalid_backup"
        case .invalidDefinitions: return "invalid_definitions"
        case .invalidArgument: return "invalid_argument"
        case .unmatchedExclusions: return "exclusion_unmatched"
        case .scheduleNotFound: return "schedule_not_found"
        case .io: return "io_error"
        case .diskFull: return "disk_full"
        case .catalog: return "catalog_error"
        case .broker: return "broker_error"
        case .lockHeld: return "lock_held"
        case .hookFailed: return "hook_failed"
        case .stepFailed: return "step_failed"
        case .restoreRefused: return "restore_refused"
        case .lossRefused: return "loss_refused"
        case .targetChanged: return "target_changed"
        case .interrupted: return "interrupted"
        case .serviceRunning: return "service_running"
        case let .crypto(error): return error.code
        case .brokerTimeout: return "broker_timeout"
        case .restoreInterrupted: return "restore_interrupted"
        case .rebuildRefused: return "rebuild_refused"
        case let .s3(error): return error.code
        case .configurationInvalid: return "configuration_invalid"
        }
    }
}

extension WarrenError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case let .repositoryNotFound(path, reason):
            return "no Warren repository at \(path): \(reason). Create one with `warren init --repo \(path)`, or point --repo / WARREN_REPO at an existing one."
        case let .repositoryExists(path, reason):
            return "cannot create a repository at \(path): \(reason)"
        case let .catalogTooNew(path, detail):
            return "the catalog at \(path) was written by a newer Warren (\(detail)); upgrade warren to use it"
        case let .backupNotFound(id):
            return "no backup with id \(id) in this repository (see `warren list`)"
        case let .backupDeleted(id, node, deletedAt, cause):
            return "backup \(id) (node \(node)) was \(cause.verb) on \(deletedAt) (by \(cause.rawValue)); it is no longer in this repository (see `warren list`)"
        case let .invalidBackup(path, reason):
            return "\(path): \(reason)"
        case let .invalidDefinitions(path, reason):
            return "\(path): \(reason)"
        case let .invalidArgument(name, reason):
            return "\(name): \(reason)"
        case let .io(path, operation, code):
            return "\(path): \(operation) failed: \(String(cString: strerror(code)))"
        case let .diskFull(path, operation, available):
            return "the file system holding \(path) is full (\(available) bytes free): could not \(operation). Free some space on it, or move the repository, and retry; nothing was changed"
        case let .catalog(detail):
            return "catalog error: \(detail)"
        case let .broker(node, step, detail, _):
            return "node \(node): could not \(step): \(detail)"
        case let .lockHeld(path, holder, waited):
            let who = holder.map { "pid \($0.pid) on host \($0.host), running `warren \($0.command)` since \($0.startedAt)" }
                ?? "another process (its holder record could not be read)"
            let wait = waited > 0 ? "gave up after waiting \(String(format: "%.1f", waited)) s" : "not waiting"
            return "the repository \(path) is locked by \(who); \(wait). Let it finish and retry"
        case let .hookFailed(phase, command, status, output):
            return "\(phase)-hook `\(command)` exited \(status)" + (output.isEmpty ? "" : ": \(output)")
        case let .stepFailed(step, detail):
            return "\(step) failed: \(detail)"
        case let .restoreRefused(reason):
            return "restore refused, nothing was changed: \(reason)"
        case let .lossRefused(node, losses):
            return "backup refused (--refuse-loss), the app of \(node) was not stopped and nothing was stored: stopping it would drop\n  "
                + losses.joined(separator: "\n  ")
                + "\nPublish those messages as persistent to durable queues, drain them first, or run without --refuse-loss to accept the loss"
        case let .targetChanged(node, step, detail, changes, undo):
            return "node \(node): \(step) failed after the restore had changed the node: \(detail)\nWhat was changed on \(node):\n  "
                + (changes.isEmpty ? "nothing that Warren could find" : changes.joined(separator: "\n  "))
                + (undo.isEmpty ? "" : "\nTo undo it:\n  " + undo.joined(separator: "\n  "))
        case let .interrupted(detail):
            return "interrupted: \(detail)"
        case let .serviceRunning(socket, pid):
            return "service running (warren serve, pid \(pid), socket \(socket)) on this repository, with its catalog open: stop the service first (e.g. `systemctl stop warren`); other commands work beside it, directly or with --socket \(socket)"
        case let .crypto(error):
            return error.description
        case let .brokerTimeout(node, step, seconds, detail):
            return "node \(node): could not \(step): no answer within \(String(format: "%g", seconds)) s (the step was ended)" + (detail.isEmpty ? "" : "; \(detail)") + ". Check that the node is up and reachable (`rabbitmqctl -n \(node) status`), or raise --broker-timeout"
        case let .restoreInterrupted(node, journal, detail):
            return "an interrupted restore into node \(node) is recorded in \(journal): \(detail). Finish it with `warren restore --resume --node \(node)`, or put the moved-aside data back with `warren restore --rollback --node \(node)`"
        case let .rebuildRefused(path, reason):
            return "catalog rebuild refused, nothing was changed: \(path) \(reason); force the rebuild to replace it, or rebuild into another file"
        case let .s3(error):
            return error.description
        case let .unmatchedExclusions(unmatched):
            return unmatched.description
        case let .scheduleNotFound(id):
            return "no schedule with id \(id) in this repository (see `warren schedule list`)"
        case let .configurationInvalid(path, line, reason):
            return "configuration file \(path)\(line.map { ", line \($0)" } ?? ""): \(reason); nothing was done"
        }
    }
}

extension WarrenError {
    /// The full text a failed rabbitmqctl call printed, when this error carries one.
    public var rabbitmqctlOutput: String? {
        guard case let .broker(_, _, _, output) = self, !output.isEmpty else { return nil }
        return output
    }
}
