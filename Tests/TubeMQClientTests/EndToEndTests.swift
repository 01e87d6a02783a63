import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

/// Volume through the whole stack: a producer with many sends in flight, then push and pull consumers.
@Suite struct EndToEndTests {
    static let count = 10_000

    /// Message `i`: a body of varying length and content, a type, a time and a user attribute.
    static func message(_ i: Int) -> Message {
        let body = (0..<(i % 300 + 1)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
        var message = Message(body: body, attributes: [("idx", "\(i)"), ("source", "e2e")])
        message.messageType = "type\(i % 5)"
        message.messageTime = "202611250\(i % 10)00"
        return message
    }

    static func index(of message: ConsumedMessage) -> Int? { message.message.attribute("idx").flatMap(Int.init) }

    @Test func tenThousandMessagesArriveWithTheirBytesAndAttributes() async throws {
        try await TestCluster.with(brokerCount: 2, topics: [.init(name: "t_volume", partitions: 3)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_volume"])
            #expect(producer.partitions(of: "t_volume").count == 6)
            try await withTimeout(.seconds(60), "sending") {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    let lanes = 64
                    for lane in 0..<lanes {
                        group.addTask {
                            for i in stride(from: lane, to: Self.count, by: lanes) {
                                try await producer.send(Self.message(i), to: "t_volume")
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            await producer.shutdown()

            // Push, in batches of whole fetches, half the messages; then pull the rest in the same group.
            let configuration = cluster.consumerConfiguration(group: "g_volume", topics: ["t_volume"])
            let push = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            var seen: [Int: ConsumedMessage] = [:]
            var duplicates = 0
            try await withTimeout(.seconds(60), "push consuming") {
                var local: [ConsumedMessage] = []
                for try await message in push {
                    local.append(message)
                    if local.count >= Self.count / 2 { break }
                }
                return local
            }.forEach { message in
                if let i = Self.index(of: message), seen.updateValue(message, forKey: i) != nil { duplicates += 1 }
            }
            try await eventually("the push consumer left") {
                await cluster.master.master.group(named: "g_volume") == nil
            }
            let pull = try await PullConsumer(configuration: configuration, logger: TestCluster.logger)
            let pushed = Set(seen.keys)
            let pulled = try await withTimeout(.seconds(60), "pull consuming") { () -> [ConsumedMessage] in
                var local: [ConsumedMessage] = []
                var unique = pushed
                for try await batch in pull {
                    local += batch.messages
                    for message in batch.messages { if let i = Self.index(of: message) { unique.insert(i) } }
                    try await batch.confirm()
                    if unique.count >= Self.count { break }
                }
                return local
            }
            for message in pulled {
                if let i = Self.index(of: message), seen.updateValue(message, forKey: i) != nil { duplicates += 1 }
            }
            #expect(seen.count == Self.count)
            // The push loop broke off in the middle of a batch, so that batch comes again: at least once.
            #expect(duplicates < Self.count / 2)
            for (i, message) in seen {
                let sent = Self.message(i)
                #expect(message.body == sent.body)
                #expect(
                    message.attributes.map { "\($0.key)=\($0.value)" } == [
                        "$msgType$=type\(i % 5)", "$msgTime$=202611250\(i % 10)00", "idx=\(i)", "source=e2e",
                    ]
                )
            }
        }
    }
}
