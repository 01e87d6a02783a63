import Foundation
import Testing
import TubeMQMaster
import TubeMQMasterState

@Suite struct FileMetadataStoreTests {
    static func snapshot(topics: [String]) -> MasterSnapshot {
        let stamp = RecordStamp(createdBy: "test", at: 1)
        return MasterSnapshot(
            brokers: [BrokerRecord(id: 1, host: "127.0.0.1", manageStatus: .online, stamp: stamp)],
            topics: topics.map { Topic(name: $0, stamp: stamp) },
            lastRebalanceID: 9
        )
    }

    @Test func anEmptyDirectoryLoadsNothingAndAWrittenSnapshotLoadsBack() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileMetadataStore(directory: directory.path + "/nested/data")
        #expect(try await store.load() == nil)
        let snapshot = Self.snapshot(topics: ["t_a", "t_b"])
        try await store.persist(MetadataChange(version: 1, directives: [], snapshot: snapshot))
        #expect(try await store.load() == snapshot)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/nested/data").sorted()
        #expect(names == ["LOCK", FileMetadataStore.fileName])
        try await store.close()

        let reopened = try FileMetadataStore(directory: directory.path + "/nested/data")
        #expect(try await reopened.load() == snapshot)
        try await reopened.close()
    }

    @Test func anOlderVersionNeverOverwritesANewerOne() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileMetadataStore(directory: directory.path)
        try await store.persist(MetadataChange(version: 2, directives: [], snapshot: Self.snapshot(topics: ["t_new"])))
        try await store.persist(MetadataChange(version: 1, directives: [], snapshot: Self.snapshot(topics: ["t_old"])))
        #expect(try await store.load()?.topics.map(\.name) == ["t_new"])
        try await store.close()
    }

    @Test func aSecondStoreOnTheSameDirectoryIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileMetadataStore(directory: directory.path)
        #expect {
            _ = try FileMetadataStore(directory: directory.path)
        } throws: { error in
            (error as? MetadataStoreError)?.code == .locked
        }
        try await store.close()
        let next = try FileMetadataStore(directory: directory.path)
        try await next.close()
        await #expect(throws: MetadataStoreError.self) { try await next.load() }
    }

    @Test func aCorruptSnapshotIsAnErrorNotAnEmptyMaster() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Data("{\"format\":\"tubemq-master-metadata\",".utf8)
            .write(to: URL(fileURLWithPath: directory.path + "/" + FileMetadataStore.fileName))
        let store = try FileMetadataStore(directory: directory.path)
        do {
            _ = try await store.load()
            Issue.record("a truncated snapshot loaded")
        } catch {
            #expect(error.code == .corrupt)
        }
        try await store.close()
    }
}
