import ArgumentParser
import Foundation
import WarrenCore

struct AsideListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Moved-aside data, oldest first, with size and age.")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var aside: AsideOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.open()
            let entries = try AsideStore(repository: repo.path, base: aside.asideDir).list()
            if output.json { print(try WarrenJSON.string(entries)); return }
            var table = Table([("ID", .left), ("SIZE", .right), ("FILES", .right), ("AGE", .right), ("MOVED AT", .left)])
            for e in entries {
                table.add([e.id, ByteCount.format(e.bytes), String(e.files), Self.age(e.ageSeconds), e.movedAt])
            }
            print(entries.isEmpty ? "no moved-aside data" : table.render())
        }
    }

    static func age(_ seconds: Int64) -> String {
        seconds >= 86400 ? "\(seconds / 86400)d" : seconds >= 3600 ? "\(seconds / 3600)h" : seconds >= 60 ? "\(seconds / 60)m" : "\(seconds)s"
    }
}
