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
