import ArgumentParser

/// `--aside-dir DIR`, shared by restore and the aside commands.
struct AsideOptions: ParsableArguments {
    @Option(name: .customLong("aside-dir"), help: ArgumentHelp(
        "Where moved-aside data is kept (default REPO/aside): outside the node directory, on the node's file system.", valueName: "dir"))
    var asideDir: String?
}
