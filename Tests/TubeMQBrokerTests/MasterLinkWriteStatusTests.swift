import Logging
import Synchronization
import SystemPackage
import Testing
import TubeMQRPC

@testable import TubeMQBroker

/// The heartbeat's `writeStatusRpt`: 1 while some topic's storage refuses writes, 0 again after.
@Suite struct MasterLinkWriteStatusTests {
    @Test func followsTheStore() async {
        let unwritable = Box()
        let client = RPCClient()
        let link = MasterLink(
            configuration: BrokerConfiguration(brokerID: 1, dataDirectory: FilePath("/tmp/unused")),
            client: client,
            catalog: TopicCatalog(),
            authorization: BrokerAuthorization(clock: { 0 }),
            logger: Logger(label: "tubemq.test"),
            unwritableTopics: { unwritable.topics },
            apply: { _, _, _ in TopicChanges(served: true, removed: []) }
        )
        #expect(await link.writeStatus() == 0)
        unwritable.topics = ["t"]
        #expect(await link.writeStatus() == 1)
        #expect(await link.writeStatus() == 1)
        unwritable.topics = []
        #expect(await link.writeStatus() == 0)
        await client.shutdown()
    }
}

private final class Box: Sendable {
    private let value = Mutex<[String]>([])
    var topics: [String] {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
