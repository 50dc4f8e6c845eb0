import Foundation
import Testing

/// Issue 13: contrib/systemd/'s units are valid (`systemd-analyze verify`, no warnings), hardened,
/// run as a user Debian's rabbitmqctl accepts, and their warren command lines parse.
@Suite struct SystemdUnitsTests {
    static let directory = Command.packageRoot + "/contrib/systemd"
    static let units = ["warren.service", "warren-backup@.service", "warren-backup@.timer"]

    static func text(_ unit: String) throws -> String {
        try String(contentsOfFile: directory + "/" + unit, encoding: .utf8)
    }

    @Test func unitsVerifyCleanWithTheBuiltBinary() throws {
        let work = NSTemporaryDirectory() + "warren-systemd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        // The units name /usr/local/bin/warren; verify checks that ExecStart is executable.
        for unit in Self.units {
            let text = try Self.text(unit).replacingOccurrences(of: "/usr/local/bin/warren", with: Warren.binary)
            try text.write(toFile: work + "/" + unit.replacingOccurrences(of: "@.", with: "@rabbit."), atomically: true, encoding: .utf8)
        }
        let result = try Command.run("systemd-analyze", ["verify", "--man=no"] + Self.units.map { work + "/" + $0.replacingOccurrences(of: "@.", with: "@rabbit.") })
        // verify exits 0 on unknown keys or bad values and only warns: both must be empty.
        #expect(result.status == 0 && result.stderr.isEmpty && result.stdout.isEmpty, "\(result.stdout)\(result.stderr)")
    }

    @Test func servicesAreHardenedAndRunAsRabbitmq() throws {
        for unit in ["warren.service", "warren-backup@.service"] {
            let lines = Set(try Self.text(unit).split(separator: "\n").map(String.init))
            for setting in ["User=rabbitmq", "UMask=0077", "ProtectSystem=strict", "PrivateTmp=yes", "NoNewPrivileges=yes",
                            "ProtectHome=yes", "CapabilityBoundingSet=", "Environment=HOME=/var/lib/rabbitmq"] {
                #expect(lines.contains(setting), "\(unit) lacks \(setting)")
            }
        }
    }

    /// Each ExecStart's arguments are accepted by the built binary's parser (`--help` after
    /// them stops before anything runs; a bad option would be a usage error, exit 64).
    @Test func execStartCommandLinesParse() throws {
        for unit in ["warren.service", "warren-backup@.service"] {
            let exec = try #require(try Self.text(unit).split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
            let arguments = exec.dropFirst("ExecStart=/usr/local/bin/warren ".count).split(separator: " ").map {
                String($0).replacingOccurrences(of: "%i", with: "rabbit").replacingOccurrences(of: "%l", with: "host")
            }
            let result = try Command.run(Warren.binary, arguments + ["--help"])
            #expect(result.status == 0, "\(unit): \(arguments): \(result.stderr)")
        }
    }
}
