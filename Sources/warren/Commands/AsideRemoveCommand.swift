import ArgumentParser
import Foundation
import WarrenCore

struct AsideRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Delete one folder of moved-aside data (asks first unless --yes).")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var aside: AsideOptions

    @Argument(help: "The folder's id (see `warren aside list`).")
    var id: String

    @Flag(name: .customLong("dry-run"), help: "Say what would be deleted; delete nothing.")
    var dryRun = false

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.open()
            let store = AsideStore(repository: repo.path, base: aside.asideDir)
            let entry = try store.entry(id: id)
            let what = "\(entry.path) (\(ByteCount.format(entry.bytes)), \(entry.files) files, moved aside \(entry.movedAt))"
            if dryRun {
                print(output.json ? try WarrenJSON.string(entry) : "dry run: would delete \(what); nothing was changed")
                return
            }
            if !yes {
                guard isatty(0) != 0 else {
                    throw WarrenError.invalidArgument(name: "--yes", reason: "deleting \(what) needs confirmation: pass --yes (stdin is not a terminal)")
                }
                FileHandle.standardError.write(Data("delete \(what)? [y/N] ".utf8))
                guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                    Terminal.note("nothing was deleted")
                    return
                }
            }
            let removed = try store.remove(id: id)
            print(output.json ? try WarrenJSON.string(removed) : "deleted \(what)")
        }
    }
}
