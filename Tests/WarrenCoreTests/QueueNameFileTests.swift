import Testing
@testable import WarrenCore

@Suite struct QueueNameFileTests {
    @Test func parsesVersion1And2() throws {
        let v1 = try QueueNameFile.parse(Array("VHOST: /\nQUEUE: q1v1\n".utf8)).get()
        #expect(v1 == QueueNameFile(vhost: "/", queue: "q1v1", indexVersion: 1))
        let v2 = try QueueNameFile.parse(Array("VHOST: shop\nQUEUE: orders\nINDEX: v2\n".utf8)).get()
        #expect(v2 == QueueNameFile(vhost: "shop", queue: "orders", indexVersion: 2))
    }

    /// A name that merely ends with a CR, in a file with LF line endings, is a name.
    @Test func aTrailingCarriageReturnIsPartOfTheName() throws {
        let parsed = try QueueNameFile.parse(Array("VHOST: /\nQUEUE: q\r\n".utf8)).get()
        #expect(parsed == QueueNameFile(vhost: "/", queue: "q\r", indexVersion: 1))
        let v2 = try QueueNameFile.parse(Array("VHOST: v\r\nQUEUE: q\nINDEX: v2\n".utf8)).get()
        #expect(v2 == QueueNameFile(vhost: "v\r", queue: "q", indexVersion: 2))
    }

    /// Issue 16 §1: a priority queue's level directory, as written by a real 3.10.8 node:
    /// the level byte may be a newline (10), a CR (13), NUL (0) or not UTF-8 (>= 0x80).
    @Test(arguments: [0, 3, 10, 13, 200, 255])
    func parsesPriorityLevels(level: Int) throws {
        let v1 = Array("VHOST: /\nQUEUE: q.prio".utf8) + [0, UInt8(level)] + Array("\n".utf8)
        #expect(try QueueNameFile.parse(v1).get() == QueueNameFile(vhost: "/", queue: "q.prio", indexVersion: 1, priority: level))
        let v2 = Array("VHOST: shop\nQUEUE: q.prio2".utf8) + [0, UInt8(level)] + Array("\nINDEX: v2\n".utf8)
        #expect(try QueueNameFile.parse(v2).get() == QueueNameFile(vhost: "shop", queue: "q.prio2", indexVersion: 2, priority: level))
    }

    /// Directory names seen on a real 3.10.8 node: md5 over "queue" ++ vhost ++ name ++ <<0, P>>.
    @Test func priorityLevelDirectoryNames() {
        #expect(RabbitDirectoryName.queue(vhost: "/", queue: "q.prio", priority: 3) == "42K7GGJMIGLENPO2Y0FGIBGG4")
        #expect(RabbitDirectoryName.queue(vhost: "/", queue: "q.prio", priority: 10) == "85C0GK1I8MG6V6N7PAZHQY2Q4")
        #expect(RabbitDirectoryName.queue(vhost: "/", queue: "q.prio2", priority: 2) == "3YY8VK36Z5DFBFXTN8ULM0V7F")
    }

    /// Only `\0<byte>` right before the name line's newline is a level; every other NUL is not.
    @Test(arguments: [
        Array("VHOST: /\nQUEUE: q\0x\0\n".utf8),
        Array("VHOST: /\nQUEUE: q\0\0\0\n".utf8),
        Array("VHOST: /\0\nQUEUE: q\0\u{1}\n".utf8),
        Array("VHOST: /\nQUEUE: q\0\u{1}\nINDEX: v2\0\n".utf8),
    ])
    func rejectsOtherNULs(bytes: [UInt8]) {
        guard case let .failure(error) = QueueNameFile.parse(bytes) else {
            Issue.record("accepted \(bytes)")
            return
        }
        #expect(error.reason.contains("NUL") || error.reason.contains("unexpected lines"), "\(error.reason)")
    }

    @Test func keepsHostileNamesAsData() throws {
        let parsed = try QueueNameFile.parse(Array("VHOST: ../../etc\nQUEUE: ../x\n".utf8)).get()
        #expect(parsed.vhost == "../../etc")
        #expect(parsed.queue == "../x")
    }

    @Test(arguments: [
        ("", "does not start"),
        ("QUEUE: q\n", "does not start"),
        ("VHOST: /\n", "no \"QUEUE: \""),
        ("VHOST: /\nQUEUE: q", "does not end with a newline"),
        ("VHOST: /\nQUEUE: q\nEXTRA\n", "unexpected lines"),
        ("VHOST: \nQUEUE: q\n", "empty vhost"),
        ("VHOST: /\nQUEUE: q\0\n", "NUL"),
        // Issue 12 §3: CRLF said "does not end with a newline" ("\r\n" is one Character).
        ("VHOST: /\r\nQUEUE: q\r\n", "CRLF"),
        ("VHOST: /\r\nQUEUE: q\r\nINDEX: v2\r\n", "CRLF"),
    ])
    func rejectsMalformed(text: String, reason: String) {
        guard case let .failure(error) = QueueNameFile.parse(Array(text.utf8)) else {
            Issue.record("accepted \(text.debugDescription)")
            return
        }
        #expect(error.reason.contains(reason))
    }

    @Test func rejectsInvalidUTF8() {
        guard case let .failure(error) = QueueNameFile.parse([0x56, 0x48, 0xFF, 0xFE]) else {
            Issue.record("accepted invalid UTF-8")
            return
        }
        #expect(error.reason.contains("UTF-8"))
        #expect((try? QueueNameFile.parseVhost([0xC3]).get()) == nil)
        #expect((try? QueueNameFile.parseVhost([]).get()) == nil)
        #expect((try? QueueNameFile.parseVhost(Array("ünïcødé".utf8)).get()) == "ünïcødé")
    }

    @Test func classifiesFilesByPlace() {
        func kind(_ path: String) -> FileKind { FileKind.classify(path.split(separator: "/").map(String.init)) }
        #expect(kind("vhosts/A/.vhost") == .meta)
        #expect(kind("vhosts/A/recovery.dets") == .recovery)
        #expect(kind("vhosts/A/msg_store_persistent/12.rdq") == .rdq)
        #expect(kind("vhosts/A/msg_store_persistent/clean.dot") == .storeMeta)
        #expect(kind("vhosts/A/msg_store_transient/0.rdq") == .transient)
        #expect(kind("vhosts/A/queues/Q/.queue_name") == .meta)
        #expect(kind("vhosts/A/queues/Q/3.idx") == .idx)
        #expect(kind("vhosts/A/queues/Q/journal.jif") == .journal)
        #expect(kind("vhosts/A/queues/Q/0.qi") == .qi)
        #expect(kind("vhosts/A/queues/Q/0.qs") == .qs)
        #expect(kind("vhosts/A/queues/Q/x.idx") == .other)
        #expect(kind("stray.txt") == .other)
    }
}
