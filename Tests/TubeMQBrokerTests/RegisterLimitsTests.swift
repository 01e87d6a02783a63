import Testing
import TubeMQBroker
import TubeMQCore
import TubeMQWire

/// What a partition registration makes the broker keep is bounded: a group name over 1024 characters,
/// more than 500 filter items or one over 256 characters is refused with 400; the connection serves on.
@Suite struct RegisterLimitsTests {
    static let topic = BrokerTopic(name: "t", stores: 1, partitionsPerStore: 1)

    @Test func oversizedGroupsAndFiltersAreRefused() async throws {
        try await BrokerTestSupport.withBroker(topics: [Self.topic]) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            let longGroup = try await calls.register("c1", group: String(repeating: "g", count: 1025), "t", 0)
            #expect(!longGroup.success && longGroup.errCode == 400, "\(longGroup.errMsg)")
            #expect(longGroup.errMsg.contains("longer than 1024"), "\(longGroup.errMsg)")
            let longItem = try await calls.register(
                "c1",
                group: "g1",
                "t",
                0,
                filters: [String(repeating: "f", count: 257)]
            )
            #expect(!longItem.success && longItem.errCode == 400, "\(longItem.errMsg)")
            #expect(longItem.errMsg.contains("longer than 256"), "\(longItem.errMsg)")
            let manyItems = try await calls.register("c1", group: "g1", "t", 0, filters: (0...500).map { "f\($0)" })
            #expect(!manyItems.success && manyItems.errCode == 400, "\(manyItems.errMsg)")
            let fine = try await calls.register("c1", group: "g1", "t", 0, filters: ["order.created", "f2"])
            #expect(fine.success, "the characters of a filter item are the client's business: \(fine.errMsg)")
        }
    }
}
