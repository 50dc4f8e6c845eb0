import ArgumentParser
import WarrenCore

/// The options of every `key` writer (`add`, `remove`, `passwd`) and their one shape: open
/// the repository's key ring as a writer, gather what the change needs (a new password is
/// read before the lock is taken), change the key ring under the repository lock, print the
/// result as JSON or one line.
struct KeyWriterOptions: ParsableArguments {
    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var verbosity: VerbosityOptions

    func run<Input, Result: Encodable>(
        _ command: String, input: () throws -> Input, change: (KeyRing, Input) throws -> Result, text: (Result) -> String
    ) throws {
        try CommandRunner.run(json: output.json) {
            let (repo, ring) = try repository.openKeyRing(writer: true)
            let given = try input()
            // On s3: the bucket's lock object too: two hosts removing keys at once must not remove the last.
            let result = try repo.withExclusiveLock(command: command, options: lock.options) { try change(ring, given) }
            print(output.json ? try WarrenJSON.string(result) : text(result))
        }
    }
}
