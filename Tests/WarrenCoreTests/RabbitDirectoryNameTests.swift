import Testing
@testable import WarrenCore

/// The table of real directory names on the facts page (observed on RabbitMQ 3.10.8).
@Suite struct RabbitDirectoryNameTests {
    @Test(arguments: [
        ("/", "628WB79CIFDYO9LJI6DKMI09L"),
        ("shop", "EVNRS54HUEHBATT3GXMMWOXAL"),
        ("oro/crm", "DPR1NDP5URS7N4NXUISIJDLMP"),
        // Seen on this machine's node for the vhost test names:
        ("with space", "3BBZB7WVNAIVR82K3XDSV0A5W"),
        ("ünïcødé", "2BLOFFK5FXMF6GRNFIO8MT735"),
    ])
    func vhostDirectory(vhost: String, expected: String) {
        #expect(RabbitDirectoryName.vhost(vhost) == expected)
    }

    @Test(arguments: [
        ("shop", "orders", "BLHRPYX92L8J8TOOCWBDG1VEW"),
        ("oro/crm", "oro.default", "C1WX379TPLL8D2VFXJ13RS1Q9"),
        ("/", "q1v1", "4413PTP2TNA9IJA8YJS600R2X"),
    ])
    func queueDirectory(vhost: String, queue: String, expected: String) {
        #expect(RabbitDirectoryName.queue(vhost: vhost, queue: queue) == expected)
    }

    @Test func base36HasNoPadding() {
        #expect(RabbitDirectoryName.base36([0, 0, 0, 35]) == "Z")
        #expect(RabbitDirectoryName.base36([0, 0, 0, 36]) == "10")
        #expect(RabbitDirectoryName.base36([0]) == "0")
        #expect(RabbitDirectoryName.base36([UInt8](repeating: 0xFF, count: 16)) == "F5LXX1ZZ5PNORYNQGLHZMSP33")
    }
}
