import Foundation
import Testing
import TubeMQBroker
import TubeMQCore
import TubeMQRPC
import TubeMQWire

@Suite struct BrokerFlowTests {
    static let topic = BrokerTopic(name: "t", stores: 1, partitionsPerStore: 2)

    static func body(_ text: String) -> Message { Message(body: Array(text.utf8)) }

    @Test func unconfirmedBatchIsRedeliveredAndConfirmedOneIsNot() async throws {
        try await BrokerTestSupport.withBroker(topics: [Self.topic]) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            for i in 0..<3 { _ = try await calls.send("t", 0, Self.body("m\(i)")) }
            #expect(try await calls.register("c1", group: "g", "t", 0).currOffset == 0)
            let first = try await calls.get("c1", group: "g", "t", 0)
            #expect(first.messages.count == 3)
            let again = try await calls.get("c1", group: "g", "t", 0)
            #expect(again.messages.map(\.messageID) == first.messages.map(\.messageID), "same batch redelivered")
            let end = try await calls.get("c1", group: "g", "t", 0, consumed: true)
            #expect(end.errCode == 404)
            #expect(end.errMsg == ReplyText.reachedMaxOffset)
            let commit = try await calls.commit("c1", group: "g", "t", 0)
            #expect(commit.currOffset == 84)
        }
    }

    @Test func commitConfirmsAndANewConsumerOfTheGroupResumes() async throws {
        try await BrokerTestSupport.withBroker(topics: [Self.topic]) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            for i in 0..<2 { _ = try await calls.send("t", 1, Self.body("a\(i)")) }
            _ = try await calls.register("c1", group: "g", "t", 1)
            #expect(try await calls.get("c1", group: "g", "t", 1).messages.count == 2)
            #expect(try await calls.commit("c1", group: "g", "t", 1).currOffset == 56)
            #expect(try await calls.unregister("c1", group: "g", "t", 1, readStatus: 1).success)
            _ = try await calls.send("t", 1, Self.body("late"))
            #expect(try await calls.register("c2", group: "g", "t", 1).currOffset == 56)
            #expect(try await calls.drain("c2", group: "g", "t", 1) == [Array("late".utf8)])
        }
    }

    @Test func unregisterWithReadStatusZeroConfirmsTheBatch() async throws {
        try await BrokerTestSupport.withBroker(topics: [Self.topic]) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            _ = try await calls.send("t", 0, Self.body("x"))
            _ = try await calls.register("a", group: "g", "t", 0)
            _ = try await calls.get("a", group: "g", "t", 0)
            _ = try await calls.unregister("a", group: "g", "t", 0, readStatus: 0)
            #expect(try await calls.register("b", group: "g", "t", 0).currOffset == 28)
        }
    }

    @Test func anotherConsumersPartitionIs410And412() async throws {
        try await BrokerTestSupport.withBroker(topics: [Self.topic]) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            #expect(try await calls.register("a", group: "g", "t", 0).success)
            let taken = try await calls.register("b", group: "g", "t", 0)
            #expect(taken.errCode == 410)
            #expect(taken.errMsg == "[Duplicated Register] Partition 1#g:t:0 has been registered by a")
            _ = try await calls.register("b", group: "g", "t", 1)
            let read = try await calls.get("b", group: "g", "t", 0)
            #expect(read.errCode == 412)
            #expect(read.errMsg.hasPrefix("[Duplicated Request] Partition=g:t:0 of Broker=1 has been consumed by a"))
            // Another group reads the same partition independently.
            #expect(try await calls.register("b", group: "other", "t", 0).success)
        }
    }

    @Test func readStatusOneStartsAtTheEndAndTwoAlways() async throws {
        try await BrokerTestSupport.withBroker(topics: [Self.topic]) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            for i in 0..<4 { _ = try await calls.send("t", 0, Self.body("old\(i)")) }
            #expect(try await calls.register("a", group: "latest", "t", 0, readStatus: 1).currOffset == 112)
            _ = try await calls.unregister("a", group: "latest", "t", 0, readStatus: 1)
            _ = try await calls.send("t", 0, Self.body("new"))
            // The group has a committed offset now: readStatus 1 resumes from it, 2 jumps to the end.
            #expect(try await calls.register("a", group: "latest", "t", 0, readStatus: 1).currOffset == 112)
            _ = try await calls.unregister("a", group: "latest", "t", 0, readStatus: 1)
            #expect(try await calls.register("a", group: "latest", "t", 0, readStatus: 2).currOffset == 140)
        }
    }

    @Test func boundConsumeStartsAtTheRequestedOffset() async throws {
        try await BrokerTestSupport.withBroker(topics: [Self.topic]) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            for i in 0..<5 { _ = try await calls.send("t", 0, Self.body("b\(i)")) }
            #expect(try await calls.register("a", group: "bound", "t", 0, offset: 56).currOffset == 56)
            #expect(
                try await calls.drain("a", group: "bound", "t", 0).map { String(decoding: $0, as: UTF8.self) } == [
                    "b2", "b3", "b4",
                ]
            )
        }
    }

    @Test func serverSideFiltersKeepOnlyTheirTypes() async throws {
        try await BrokerTestSupport.withBroker(topics: [Self.topic]) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            for (i, type) in ["typeA", "typeB", "typeA", "typeC"].enumerated() {
                var message = Self.body("\(type)-\(i)")
                message.messageType = type
                _ = try await calls.send("t", 0, message)
            }
            _ = try await calls.register("f", group: "gf", "t", 0, filters: ["typeA"])
            let bodies = try await calls.drain("f", group: "gf", "t", 0).map { String(decoding: $0, as: UTF8.self) }
            #expect(bodies == ["typeA-0", "typeA-2"])
        }
    }

    @Test func sendValidation() async throws {
        let small = BrokerTopic(name: "small", stores: 1, partitionsPerStore: 1, maxMessageSize: 1024)
        try await BrokerTestSupport.withBroker(topics: [Self.topic, small]) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            // The original broker's bound: the topic's maximum size plus 10240 bytes for the attribute header.
            let fits = try await calls.send("small", 0, Message(body: [UInt8](repeating: 1, count: 1024 + 10240)))
            #expect(fits.success)
            let big = try await calls.send("small", 0, Message(body: [UInt8](repeating: 1, count: 1024 + 10241)))
            #expect(big.errCode == 400)
            #expect(big.errMsg == "data length over max length, allowed max length is 11264, data length is 11265")
            let defaultTopic = try await calls.send("t", 0, Message(body: [UInt8](repeating: 1, count: 1_058_817)))
            #expect(
                defaultTopic.errMsg
                    == "data length over max length, allowed max length is 1058816, data length is 1058817"
            )
            let payload = Array("hello".utf8)
            let good = try await calls.send("t", 0, Message(body: payload), checksum: CRC32.tubeChecksum(payload))
            #expect(good.success)
            #expect(good.errMsg == String(good.messageID))
            let bad = try await calls.send("t", 0, Message(body: payload), checksum: 12345)
            #expect(bad.errCode == 403)
            let unknownTopic = try await calls.send("nope", 0, Self.body("x"))
            #expect(unknownTopic.errCode == 403)
            let unknownPartition = try await calls.send("t", 2, Self.body("x"))
            #expect(unknownPartition.errCode == 403)
        }
    }

    @Test func silentConsumersLoseTheirPartitions() async throws {
        try await BrokerTestSupport.withBroker(topics: [Self.topic], consumerTimeoutMillis: 300) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            _ = try await calls.register("slow", group: "g", "t", 0)
            try await Task.sleep(for: .milliseconds(1500))
            let reply = try await calls.get("slow", group: "g", "t", 0)
            #expect(reply.errCode == 411)
            #expect(try await calls.register("other", group: "g", "t", 0).success, "the partition was freed")
        }
    }

    @Test func committedOffsetsAndDataSurviveARestart() async throws {
        let directory = BrokerTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.string) }
        try await BrokerTestSupport.withBroker(topics: [Self.topic], directory: directory) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            for i in 0..<3 { _ = try await calls.send("t", 0, Self.body("p\(i)")) }
            _ = try await calls.register("a", group: "g", "t", 0)
            _ = try await calls.get("a", group: "g", "t", 0)
            #expect(try await calls.commit("a", group: "g", "t", 0).currOffset == 84)
            _ = try await calls.send("t", 0, Self.body("after"))
        }
        try await BrokerTestSupport.withBroker(topics: [Self.topic], directory: directory) { broker, client in
            let calls = BrokerCalls(client: client, port: broker.port)
            let resumed = try await calls.register("b", group: "g", "t", 0)
            #expect(resumed.currOffset == 84)
            #expect(try await calls.drain("b", group: "g", "t", 0) == [Array("after".utf8)])
        }
    }
}
