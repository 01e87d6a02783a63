import Testing
import TubeMQBroker
import TubeMQCore
import TubeMQWire

/// The get's `maxCount` extension (1002): a batch of at most that many messages, the next get going
/// on after it once it is confirmed; without it the usual batch, as the original broker returns.
@Suite struct BrokerFetchCountTests {
    static let topic = BrokerTopic(name: "tc", stores: 1, partitionsPerStore: 1)

    @Test func aGetReturnsNoMoreThanItsMaxCount() async throws {
        try await BrokerTestSupport.withBroker(topics: [Self.topic]) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            for i in 0..<25 { _ = try await calls.send("tc", 0, Message(body: Array("m-\(i)".utf8))) }
            _ = try await calls.register("c1", group: "g", "tc", 0)
            let first = try await calls.get("c1", group: "g", "tc", 0, maxCount: 10)
            #expect(first.success)
            #expect(
                first.messages.map { String(decoding: $0.payLoadData, as: UTF8.self) } == (0..<10).map { "m-\($0)" }
            )
            #expect(first.currDataDlt > 0, "more is waiting")
            let second = try await calls.get("c1", group: "g", "tc", 0, consumed: true, maxCount: 10)
            #expect(
                second.messages.map { String(decoding: $0.payLoadData, as: UTF8.self) } == (10..<20).map { "m-\($0)" }
            )
            let rest = try await calls.get("c1", group: "g", "tc", 0, consumed: true)
            #expect(rest.messages.count == 5, "without maxCount the batch takes what is left")
        }
    }
}
