import Foundation
import Testing
import TubeMQBroker
import TubeMQTestKit
import TubeMQZooKeeper

/// The broker's `enableWriteOffset2Zk`: committed offsets mirrored to a real ZooKeeper in TubeMQ's
/// `consumers-v3` layout, and read back.
@Suite(.serialized) struct ZooKeeperOffsetMirrorTests {
    @Test func layoutFollowsTubeMQ() {
        let layout = ZooKeeperOffsetLayout(nodeRoot: "tubemq/")
        #expect(layout.consumersDirectory == "/tubemq/consumers-v3")
        #expect(
            layout.offsetNode(group: "gp", topic: "tp", brokerID: 7, partitionID: 2)
                == "/tubemq/consumers-v3/gp/offsets/tp/7-2"
        )
        #expect(ZooKeeperOffsetLayout(nodeRoot: "/").consumersDirectory == "/consumers-v3")
        #expect(String(decoding: ZooKeeperOffsetLayout.encode(offset: 1234), as: UTF8.self) == "0-1234")
        #expect(ZooKeeperOffsetLayout.decodeOffset(Array("17-99".utf8)) == 99)
        #expect(ZooKeeperOffsetLayout.decodeOffset(Array("-1-99".utf8)) == 99)
        #expect(ZooKeeperOffsetLayout.decodeOffset(Array("99".utf8)) == nil)
        #expect(ZooKeeperOffsetLayout.decodeOffset(Array("x-99".utf8)) == nil)
        #expect(ZooKeeperOffsetLayout.decodeOffset(Array("0-".utf8)) == nil)
    }

    @Test func committedOffsetsReachZooKeeperEveryPeriod() async throws {
        try await ZooKeeperTestServer.with { zk in
            let settings = ZooKeeperOffsetSettings(
                serverAddress: zk.connectString,
                nodeRoot: "/tubemq",
                sessionTimeoutMs: 4_000,
                commitPeriodMs: 100
            )
            let reader = try await ZooKeeperClient.connect(to: zk.connectString)
            let node = "/tubemq/consumers-v3/gp/offsets/tp/1-3"
            @Sendable func stored() async -> String? {
                guard let data = try? await reader.getData(node).data else { return nil }
                return String(decoding: data, as: UTF8.self)
            }
            try await withBroker(zooKeeper: settings) { broker in
                let offsets = broker.store.offsets
                try await offsets.commit(group: "gp", topic: "tp", partitionID: 3, offset: 42)
                try await eventually("the offset is in ZooKeeper") { await stored() == "0-42" }
                let mirror = try #require(broker.zooKeeperOffsets)
                #expect(try await mirror.offset(group: "gp", topic: "tp", partitionID: 3) == 42)
                #expect(try await mirror.offset(group: "gp", topic: "tp", partitionID: 4) == nil)
                try await offsets.commit(group: "gp", topic: "tp", partitionID: 3, offset: 50)
                try await eventually("the new offset is in ZooKeeper") { await stored() == "0-50" }
                // Nothing changed since the last period. A periodic commit may still be between its write
                // (which the reader saw) and its bookkeeping, so the first manual commit may repeat it.
                try await eventually("a commit finds nothing to write") { try await mirror.commitChanged() == 0 }
                try await offsets.removeGroup("gp")
                try await eventually("the removed offset is gone") { await stored() == nil }
                // A node TubeMQ cannot read is reported with its path.
                try await reader.create(node, data: Array("garbage".utf8))
                await #expect {
                    try await mirror.offset(group: "gp", topic: "tp", partitionID: 3)
                } throws: { error in
                    "\(error)".contains(node)
                }
                // The last change is written at shutdown, whatever the period.
                try await reader.delete(node)
                try await offsets.commit(group: "gp", topic: "tp", partitionID: 3, offset: 60)
            }
            #expect(await stored() == "0-60")
            await reader.close()
        }
    }

    @Test func missingChrootIsAClearStartError() async throws {
        try await ZooKeeperTestServer.with { zk in
            let settings = ZooKeeperOffsetSettings(serverAddress: zk.connectString + "/absent", sessionTimeoutMs: 4_000)
            await #expect {
                try await withBroker(zooKeeper: settings) { _ in }
            } throws: { error in
                "\(error)".contains("zkServerAddr names the chroot /absent, which does not exist")
            }
        }
    }

    @Test func unreachableZooKeeperIsAClearStartError() async throws {
        let settings = ZooKeeperOffsetSettings(serverAddress: "127.0.0.1:1", sessionTimeoutMs: 2_000)
        await #expect {
            try await withBroker(zooKeeper: settings) { _ in }
        } throws: { error in
            "\(error)".contains("cannot reach ZooKeeper at 127.0.0.1:1 (zkServerAddr)")
        }
    }

    private func withBroker(
        zooKeeper: ZooKeeperOffsetSettings,
        _ body: (BrokerServer) async throws -> Void
    ) async throws {
        let directory = BrokerTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.string) }
        var configuration = BrokerConfiguration(brokerID: 1, port: 0, dataDirectory: directory, io: .posix)
        configuration.zooKeeperOffsets = zooKeeper
        let broker = try await BrokerServer.start(configuration: configuration, logger: BrokerTestSupport.logger)
        do {
            try await body(broker)
        } catch {
            await broker.shutdown()
            throw error
        }
        await broker.shutdown()
    }
}
