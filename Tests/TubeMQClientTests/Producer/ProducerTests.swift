import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

@Suite struct ProducerTests {
    @Test func sendsRoundRobinAndPutsAttributesOnTheWireAsJavaDoes() async throws {
        try await TestCluster.with(topics: [.init(name: "t_prod", partitions: 3)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_prod"])
            #expect(producer.partitions(of: "t_prod").map(\.id) == [0, 1, 2])
            var message = Message.text("java-msg-0", [("serialId", "0")])
            message.messageTime = "202611241200"
            message.messageType = "typeA"
            var ids: [Int32] = []
            for _ in 0..<6 { ids.append(try await producer.send(message, to: "t_prod").partition.id) }
            #expect(ids == [0, 1, 2, 0, 1, 2])
            await producer.shutdown()

            // Read partition 0 behind the library's back: the stored bytes are the Java producer's.
            let broker = try #require(cluster.partitions(of: "t_prod").first).broker
            var register = RegisterRequestC2B()
            register.opType = 31
            register.clientID = "raw"
            register.groupName = "g_raw"
            register.topicName = "t_prod"
            register.partitionID = 0
            register.readStatus = 0
            let registered: RegisterResponseB2C = try await cluster.rpc.call(
                .consumerRegisterToBroker,
                register,
                host: broker.host,
                port: broker.port
            )
            #expect(registered.success)
            var get = GetMessageRequestC2B()
            get.clientID = "raw"
            get.groupName = "g_raw"
            get.topicName = "t_prod"
            get.partitionID = 0
            get.lastPackConsumed = false
            let reply: GetMessageResponseB2C = try await cluster.rpc.call(
                .getMessages,
                get,
                host: broker.host,
                port: broker.port
            )
            let first = try #require(reply.messages.first)
            #expect(reply.messages.count == 2)
            #expect(first.flag == 1)
            // java-producer.jsonl, serial 1: the same message as the Java producer sent it.
            let java =
                "00000031246d736754797065243d74797065412c246d736754696d65243d3230323631313234313230302c"
                + "73657269616c49643d306a6176612d6d73672d30"
            #expect(first.payLoadData.map { String(format: "%02x", $0) }.joined() == java)
        }
    }

    @Test func refusesWhatItCannotSend() async throws {
        try await TestCluster.with(topics: [.init(name: "t_refuse", partitions: 1)]) { cluster in
            var configuration = cluster.producerConfiguration()
            configuration.partitionWaitTimeout = .milliseconds(300)
            let producer = try await Producer(configuration: configuration, logger: TestCluster.logger)
            await #expect(throws: ClientError.self) { try await producer.send(.text("x"), to: "t_refuse") }
            try await producer.publish(["t_refuse", "t_unknown"])
            let notPublished = await errorCode { try await producer.send(.text("x"), to: "t_other") }
            #expect(notPublished == .invalidArgument)
            let empty = await errorCode { try await producer.send(Message(body: []), to: "t_refuse") }
            #expect(empty == .invalidArgument)
            let badAttribute = await errorCode { try await producer.send(.text("x", [("k", "a,b")]), to: "t_refuse") }
            #expect(badAttribute == .invalidArgument)
            let unknown = await errorCode { try await producer.send(.text("x"), to: "t_unknown") }
            #expect(unknown == .noPartition)
            // Up to the broker's bound: the topic's maximum size plus 10240 bytes for the attribute header.
            _ = try await producer.send(Message(body: [UInt8](repeating: 7, count: 1_058_816)), to: "t_refuse")
            let tooLarge = await errorCode {
                try await producer.send(Message(body: [UInt8](repeating: 7, count: 1_058_817)), to: "t_refuse")
            }
            #expect(tooLarge == .messageTooLarge)
            // A task cancelled before it sends sends nothing (it sent, and the send succeeded).
            let cancelled = await Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return await errorCode { try await producer.send(.text("x"), to: "t_refuse") }
            }.value
            #expect(cancelled == .cancelled)
            await producer.shutdown()
            let closed = await errorCode { try await producer.send(.text("x"), to: "t_refuse") }
            #expect(closed == .shutdown)
        }
    }

    @Test func aLostBrokersMessagesGoToAnotherPartition() async throws {
        try await TestCluster.with(brokerCount: 2, topics: [.init(name: "t_lost", partitions: 1)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_lost"])
            var brokers: [Int32] = []
            for i in 0..<4 { brokers.append(try await producer.send(.text("l\(i)"), to: "t_lost").partition.broker.id) }
            #expect(brokers == [1, 2, 1, 2])
            await cluster.stopBroker(2)  // the master still lists it for a while
            brokers = []
            for i in 4..<10 {
                brokers.append(try await producer.send(.text("l\(i)"), to: "t_lost").partition.broker.id)
            }
            #expect(brokers == Array(repeating: 1, count: 6))
            await producer.shutdown()
        }
    }

    @Test func registrationNeedsAMaster() async throws {
        let unreachable = MasterAddress(host: "127.0.0.1", port: 1)
        let error = await errorCode {
            _ = try await Producer(
                configuration: Producer.Configuration(masters: [unreachable], rpcTimeout: .seconds(1)),
                logger: TestCluster.logger
            )
        }
        #expect(error == .masterUnavailable)
    }
}

/// The ``ClientError/Code`` `body` throws, or `nil`.
func errorCode(_ body: () async throws -> Void) async -> ClientError.Code? {
    do {
        try await body()
        return nil
    } catch let error as ClientError {
        return error.code
    } catch {
        return nil
    }
}
