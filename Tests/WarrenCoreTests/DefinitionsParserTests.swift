import Testing
@testable import WarrenCore

@Suite struct DefinitionsParserTests {
    func parse(_ json: String) throws -> Definitions {
        try DefinitionsParser.parse(Array(json.utf8), path: "/b/definitions.json")
    }

    func failure(_ json: String) -> String {
        do {
            _ = try parse(json)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func parsesRabbitmqctlExport() throws {
        let d = try parse("""
            {"rabbit_version":"3.10.8","rabbitmq_version":"3.10.8",
             "users":[{"name":"guest","password_hash":"I51q8ADo2Jc/IjJ7w","hashing_algorithm":"rabbit_password_hashing_sha256","tags":["administrator"],"limits":{}}],
             "vhosts":[{"name":"/","limits":[],"metadata":{"description":"","tags":""}}],
             "permissions":[{"user":"guest","vhost":"/","configure":".*","write":".*","read":".*"}],
             "topic_permissions":[],"parameters":[],"global_parameters":[],
             "policies":[{"vhost":"/","name":"ha","pattern":"^ha\\\\.","apply-to":"queues","definition":{"max-length":10},"priority":1}],
             "queues":[{"name":"orders","vhost":"/","durable":true,"auto_delete":false,"arguments":{"x-queue-version":2},"type":"classic"},
                       {"name":"qq","vhost":"/","durable":true,"auto_delete":false,"arguments":{"x-queue-type":"quorum"},"type":"quorum"}],
             "exchanges":[{"name":"ex","vhost":"/","type":"topic","durable":true,"auto_delete":false,"internal":false,"arguments":{}}],
             "bindings":[{"source":"ex","vhost":"/","destination":"orders","destination_type":"queue","routing_key":"#","arguments":{}}]}
            """)
        #expect(d.brokerVersion == "3.10.8")
        #expect(d.users == [.init(name: "guest", hasPasswordHash: true)])
        #expect(d.vhosts.map(\.name) == ["/"])
        #expect(d.permissionCount == 1)
        #expect(d.queues.map { d.resolvedType(of: $0) } == ["classic", "quorum"])
        #expect(d.queues[0].arguments["x-queue-version"] == .integer(2))
        #expect(d.exchanges.count == 1 && d.bindings.count == 1)
        #expect(d.policies.first?.applyTo == "queues")
        #expect(d.policies.first?.priority == 1)
    }

    @Test func resolvesTypeWithoutTypeField() throws {
        // The management HTTP export has no "type": argument first, then the vhost default.
        let d = try parse("""
            {"rabbit_version":"3.12.0","vhosts":[{"name":"crm","default_queue_type":"quorum"},{"name":"/","metadata":{"default_queue_type":"stream"}},{"name":"plain"}],
             "queues":[{"name":"a","vhost":"crm","durable":true,"auto_delete":false,"arguments":{}},
                       {"name":"b","vhost":"crm","durable":true,"auto_delete":false,"arguments":{"x-queue-type":"classic"}},
                       {"name":"c","vhost":"/","durable":true,"auto_delete":false,"arguments":{}},
                       {"name":"d","vhost":"plain","durable":true,"auto_delete":false,"arguments":{}}]}
            """)
        #expect(d.queues.map { d.resolvedType(of: $0) } == ["quorum", "classic", "stream", "classic"])
    }

    @Test func refusesPerVhostExport() {
        let message = failure("""
            {"rabbit_version":"3.10.8","queues":[{"name":"a","durable":true,"auto_delete":false,"arguments":{}}],"exchanges":[],"bindings":[]}
            """)
        #expect(message.contains("per-vhost export"))
        #expect(message.contains("export_definitions"))
        #expect(message.contains("/b/definitions.json"))
    }

    @Test func refusesMalformedAndForeignJSON() {
        #expect(failure("{\"rabbit_version\": \"3.10.8\", ").contains("not valid JSON"))
        #expect(failure("").contains("not valid JSON"))
        #expect(failure("[1, 2]").contains("not a RabbitMQ definitions export"))
        #expect(failure("{\"name\": \"x\"}").contains("not a RabbitMQ definitions export"))
        #expect(failure("{\"vhosts\": [], \"queues\": {}}").contains("\"queues\" is not a list"))
        #expect(failure("{\"vhosts\": [], \"queues\": [{\"name\": 3, \"vhost\": \"/\"}]}").contains("queues[0].name"))
        #expect(failure("{\"vhosts\": [], \"queues\": [{\"name\": \"q\", \"vhost\": \"/\", \"durable\": 7}]}").contains("queues[0].durable"))
    }

    /// Issue 12 §3: Warren took the first "queues", RabbitMQ takes the last; a file whose
    /// second "queues": [] empties the list got "viable". Refused, naming the key.
    @Test func refusesDuplicateKeysNamingThem() {
        let message = failure("""
            {"rabbit_version": "3.10.8", "vhosts": [{"name": "/"}],
             "queues": [{"name": "orders", "vhost": "/", "durable": true, "auto_delete": false, "arguments": {}}],
             "queues": []}
            """)
        #expect(message == "/b/definitions.json: has the key \"queues\" more than once at the top level (line 3, column 2): RabbitMQ would use the last one and ignore the others, so the file does not say one thing; remove the extra \"queues\"")
        #expect(failure(#"{"vhosts": [{"name": "/", "name": "x"}], "queues": []}"#).contains("has the key \"name\" more than once in vhosts[0]"))
    }

    /// Issue 12 §3: these said "DecodingError.typeMismatch … found an array".
    @Test func saysWhatIsWrongWithNumbersAndEncodings() throws {
        let huge = String(repeating: "7", count: 400)
        let number = failure(#"{"vhosts": [{"name": "/"}], "queues": [{"name": "q", "vhost": "/", "arguments": {"x-max-length": \#(huge)}}]}"#)
        #expect(number.contains("holds a number too large for Warren, 77777777777777777777… (400 characters), in queues[0].arguments.x-max-length"), "\(number)")
        #expect(!number.contains("DecodingError") && !number.contains("found an array"))

        var bytes = Array(#"{"vhosts": [{"name": "caf"#.utf8)
        bytes += [0xE9]  // Latin-1 é
        bytes += Array(#""}], "queues": []}"#.utf8)
        do {
            _ = try DefinitionsParser.parse(bytes, path: "/b/definitions.json")
            Issue.record("accepted invalid UTF-8")
        } catch let WarrenError.invalidDefinitions(path, reason) {
            #expect(path == "/b/definitions.json")
            #expect(reason.hasPrefix("is not valid UTF-8 at byte 25 (line 1, column 26, in vhosts[0].name)"), "\(reason)")
        }
    }

    @Test func neverKeepsPasswordHashes() throws {
        let d = try parse("""
            {"rabbit_version":"3.10.8","vhosts":[],"users":[{"name":"u","password_hash":"SECRETHASHVALUE"},{"name":"v","password_hash":""}]}
            """)
        #expect(d.users == [.init(name: "u", hasPasswordHash: true), .init(name: "v", hasPasswordHash: false)])
        #expect(!String(describing: d).contains("SECRETHASHVALUE"))
    }
}
