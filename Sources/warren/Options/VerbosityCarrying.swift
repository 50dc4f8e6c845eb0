/// A command that has ``VerbosityOptions``: `Warren.main` hands its level to ``Terminal``
/// before running it.
protocol VerbosityCarrying {
    var verbosity: VerbosityOptions { get }
}

extension AsideListCommand: VerbosityCarrying {}
extension AsideRemoveCommand: VerbosityCarrying {}
extension BackupCommand: VerbosityCarrying {}
extension CatalogRebuildCommand: VerbosityCarrying {}
extension CatalogUpgradeCommand: VerbosityCarrying {}
extension CheckCommand: VerbosityCarrying {}
extension DiffCommand: VerbosityCarrying {}
extension ExportCommand: VerbosityCarrying {}
extension ForgetCommand: VerbosityCarrying {}
extension GCCommand: VerbosityCarrying {}
extension InitCommand: VerbosityCarrying {}
extension ListCommand: VerbosityCarrying {}
extension LsCommand: VerbosityCarrying {}
extension PinCommand: VerbosityCarrying {}
extension PolicySetCommand: VerbosityCarrying {}
extension PolicyShowCommand: VerbosityCarrying {}
extension PolicyUnsetCommand: VerbosityCarrying {}
extension PruneCommand: VerbosityCarrying {}
extension RegisterCommand: VerbosityCarrying {}
extension RestoreCommand: VerbosityCarrying {}
extension RestoresCommand: VerbosityCarrying {}
extension ScheduleAddCommand: VerbosityCarrying {}
extension ScheduleListCommand: VerbosityCarrying {}
extension ScheduleRemoveCommand: VerbosityCarrying {}
extension ServeCommand: VerbosityCarrying {}
extension ShowCommand: VerbosityCarrying {}
extension UnpinCommand: VerbosityCarrying {}
extension VerifyCommand: VerbosityCarrying {}
extension VersionCommand: VerbosityCarrying {}
extension KeyAddCommand: VerbosityCarrying {}
extension KeyListCommand: VerbosityCarrying {}
extension KeyPasswdCommand: VerbosityCarrying {}
extension KeyRemoveCommand: VerbosityCarrying {}
