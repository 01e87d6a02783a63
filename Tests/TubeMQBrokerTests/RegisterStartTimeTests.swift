import Foundation
import Testing
import TubeMQBroker
import TubeMQCore
import TubeMQRPC
import TubeMQWire

/// `RegisterRequestC2B.startTime` (our extension): the broker starts the group at the first message
/// stored at or after that time; `currOffset` wins over it, and it wins over the committed offset.
@Suite struct RegisterStartTimeTests {
    static let topic = BrokerTopic(name: "t", stores: 1, partitionsPerStore: 1)

    static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    @Test func theStartTimeIsLookedUpInTheStore() async throws {
        try await BrokerTestSupport.withBroker(topics: [Self.topic]) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            for i in 0..<2 { _ = try await calls.send("t", 0, Message(body: Array("a\(i)".utf8))) }
            try await Task.sleep(for: .milliseconds(100))
            let between = Self.nowMillis()
            try await Task.sleep(for: .milliseconds(100))
            for i in 0..<3 { _ = try await calls.send("t", 0, Message(body: Array("b\(i)".utf8))) }

            let started = try await calls.register("c1", group: "g1", "t", 0, readStatus: 2, startTime: between)
            #expect(started.success)
            #expect(started.currOffset == 56, "after the two older messages")
            #expect(try await calls.drain("c1", group: "g1", "t", 0) == ["b0", "b1", "b2"].map { Array($0.utf8) })

            // The group has committed the end; a start time moves it back.
            _ = try await calls.unregister("c1", group: "g1", "t", 0, readStatus: 0)
            #expect(try await calls.register("c2", group: "g1", "t", 0, startTime: 0).currOffset == 0)
            _ = try await calls.unregister("c2", group: "g1", "t", 0, readStatus: 1)

            let exact = try await calls.register("c3", group: "g2", "t", 0, offset: 28, startTime: between)
            #expect(exact.currOffset == 28, "currOffset wins")
            let future = try await calls.register("c4", group: "g3", "t", 0, startTime: Self.nowMillis() + 3_600_000)
            #expect(future.currOffset == 140, "after everything: the newest offset")
        }
    }
}
