import Foundation
import Testing
@testable import WarrenCore

/// Manifests spell their snake_case keys out (a decoder that converts keys made a rebuild
/// 3 times slower). These tests pin that the keys are exactly the ones manifests were
/// written with before: the golden document below was encoded by the earlier types, whose
/// keys `.convertToSnakeCase` made from the property names.
@Suite struct ManifestKeysTests {
    /// Every field set (the optionals too), encoded with `.convertToSnakeCase` and sorted keys.
    static let golden = #"""
{"backup":{"added_bytes":5000,"added_objects":4,"broker_version":"3.10.8","bytes_read":7000,"completed_at":"2026-12-01T10:00:09Z","consistent":true,"created_at":"2026-12-01T10:00:01Z","files_reused":8,"id":7,"label":"nightly","node":"rabbit@golden","parent_id":6,"permission_count":3,"source":"backup","source_path":"/var/lib/rabbitmq/mnesia/rabbit@golden","taken_at":"2026-12-01T10:00:00Z","user_count":2,"users_with_password":1},"broker_survey":{"exchanges":[{"durable":true,"internal":false,"name":"ex","type":"topic","vhost":"/"}],"queues":[{"auto_delete":false,"durable":true,"exclusive":false,"messages":10,"messages_persistent":9,"name":"orders","type":"classic","vhost":"/"}]},"definitions":{"sha256":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd","size":1234},"expected_counts":[{"messages":10,"queue":"orders","type":"classic","vhost":"/"}],"files":[{"ctime_ns":1700000000000000002,"inode":42,"kind":"qi","mtime_ns":1700000000000000001,"path":"vhosts/628WB79CIFDYO9LJI6DKMI09L/queues/2ZN7W8T1XNKWAPE6PVGW9VK7R/0.qi","queue_dir":"2ZN7W8T1XNKWAPE6PVGW9VK7R","sha256":"abababababababababababababababababababababababababababababababab","size":64,"vhost_dir":"628WB79CIFDYO9LJI6DKMI09L"},{"kind":"store_meta","path":"vhosts/628WB79CIFDYO9LJI6DKMI09L/msg_store_persistent/clean.dot","sha256":"abababababababababababababababababababababababababababababababab","size":1}],"inventory":{"bindings":[{"arguments":"{}","destination":"orders","destination_type":"queue","routing_key":"a.b/c","source":"ex","vhost":"/"}],"exchanges":[{"arguments":"{}","auto_delete":true,"durable":true,"internal":true,"name":"ex","type":"topic","vhost":"/"}],"policies":[{"apply_to":"queues","definition":"{\"max-length\":10}","name":"p","pattern":"^o","priority":1,"vhost":"/"}],"queues":[{"arguments":"{\"x-max-priority\":5}","auto_delete":false,"durable":true,"name":"orders","type":"classic","vhost":"/"}],"vhosts":[{"default_queue_type":"classic","name":"/"}]},"stored_queues":[{"bytes":300,"count":{"dropped_at_recovery":1,"embedded_in_index":3,"error":"none","in_queue_store":5,"in_shared_store":4,"index_version":2,"messages":10,"newest_seq_id":20,"oldest_seq_id":11,"payload_bytes":100,"qs_segments":"[0]","warnings":"[]"},"dir_matches_name":true,"dir_name":"2ZN7W8T1XNKWAPE6PVGW9VK7R","file_count":2,"index_version":2,"name":"orders","priority":3,"vhost":"/","vhost_dir":"628WB79CIFDYO9LJI6DKMI09L"}],"stored_vhosts":[{"dir_matches_name":true,"dir_name":"628WB79CIFDYO9LJI6DKMI09L","segment_entry_count":2048,"vhost":"/"}]}
"""#

    @Test func aManifestWrittenWithConvertedKeysDecodesAndEncodesToTheSameBytes() throws {
        let body = Array(Self.golden.utf8)
        let manifest = try JSONDecoder().decode(BackupManifest.self, from: Data(body))
        #expect(manifest.backup.parentID == 6)
        #expect(manifest.storedQueues.first?.count.oldestSeqID == 11)
        #expect(manifest.brokerSurvey?.queues.first?.messagesPersistent == 9)
        #expect(manifest.files.first?.ctimeNs == 1_700_000_000_000_000_002)
        #expect(manifest.inventory.bindings.first?.routingKey == "a.b/c")

        let stored = try ManifestStore.encoded(manifest)
        let newline = try #require(stored.firstIndex(of: UInt8(ascii: "\n")))
        #expect(String(decoding: stored[(newline + 1)...], as: UTF8.self) == Self.golden)
    }

    /// The converting coder and the plain one agree on every manifest type: no property was
    /// left without a spelled-out key (it would come out camelCase from the plain encoder).
    @Test func theConvertingEncoderChangesNoKeyOfAManifest() throws {
        let manifest = try JSONDecoder().decode(BackupManifest.self, from: Data(Self.golden.utf8))
        let converting = JSONEncoder()
        converting.keyEncodingStrategy = .convertToSnakeCase
        converting.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let plain = JSONEncoder()
        plain.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(try converting.encode(manifest) == (try plain.encode(manifest)))
    }

    @Test func aStoredManifestReadsBack() throws {
        let manifest = try JSONDecoder().decode(BackupManifest.self, from: Data(Self.golden.utf8))
        let decoded = try ChecksummedDocument.decode(
            BackupManifest.self, from: try ManifestStore.encoded(manifest), kind: BackupManifest.kind,
            knownVersion: BackupManifest.currentVersion, keys: .explicit)
        #expect(decoded == manifest)
    }
}
