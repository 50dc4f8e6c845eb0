/// How far a restore got, as its journal records it: each step is recorded before it is
/// taken, so a journal left by a dead process names the step it died in.
public enum RestoreStep: String, Sendable, Codable, Comparable, CaseIterable {
    case importingDefinitions = "importing_definitions"
    case stoppingApp = "stopping_app"
    /// Target vhost directories are being renamed into the aside directory.
    case movingAside = "moving_aside"
    /// Files are being written into the node's `msg_stores`.
    case writing
    /// Every file was written and synced; the app is being started.
    case written
    /// The app runs; the post-check compares counts.
    case checking

    /// True from the first rename on: a vhost directory may be missing or half-written.
    public var touchesData: Bool { self >= .movingAside && self <= .writing }

    public static func < (a: RestoreStep, b: RestoreStep) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
