import Foundation
import Testing
import TubeMQCore
import TubeMQRPC
import TubeMQStandalone
import TubeMQWire

/// The flows of spec A.5 through a master and two brokers, over RPC, as a client library would drive them.
@Suite struct ClusterFlowTests {
    static let topic = LocalClusterConfiguration.Topic(name: "t_e2e", partitions: 2)

    @Test func producerAndConsumerFlowsAcrossTwoBrokers() async throws {
        try await ClusterTestSupport.withCluster(topics: [Self.topic]) { cluster, client in
            let master = cluster.masterAddress
            // Producer: register, heartbeat until the partition map arrives, send to every partition.
            var register = RegisterRequestP2M()
            register.clientID = "e2e-producer"
            register.brokerCheckSum = -1
            register.hostName = "127.0.0.1"
            let registered: RegisterResponseM2P = try await client.call(
                .producerRegister,
                register,
                host: master.host,
                port: master.port
            )
            #expect(registered.success)
            let brokers = registered.brokerInfos.compactMap { MetadataStrings.parseBrokerInfo($0) }
            #expect(Set(brokers.map(\.port)) == Set(cluster.brokers.map(\.port)))

            var heartbeat = HeartRequestP2M()
            heartbeat.clientID = "e2e-producer"
            heartbeat.brokerCheckSum = registered.brokerCheckSum
            heartbeat.hostName = "127.0.0.1"
            heartbeat.topicList = ["t_e2e"]
            let beat: HeartResponseM2P = try await client.call(
                .producerHeartbeat,
                heartbeat,
                host: master.host,
                port: master.port
            )
            #expect(beat.success)
            #expect(beat.brokerInfos.isEmpty, "checksum unchanged: no broker list")
            let info = try #require(beat.topicInfos.first.flatMap(MetadataStrings.TopicInfo.init(parsing:)))
            #expect(info.topic == "t_e2e")
            #expect(info.placements.count == 2)

            var sent = 0
            for placement in info.placements {
                let broker = try #require(brokers.first { $0.id == placement.brokerID })
                for partition in placement.partitionIDs {
                    var send = SendMessageRequestP2B()
                    send.clientID = "e2e-producer"
                    send.topicName = "t_e2e"
                    send.partitionID = partition
                    send.data = Data("b\(placement.brokerID)-p\(partition)".utf8)
                    send.flag = 0
                    send.checkSum = -1
                    send.sentAddr = 0
                    let reply: SendMessageResponseB2P = try await client.call(
                        .sendMessage,
                        send,
                        host: broker.host,
                        port: broker.port
                    )
                    #expect(reply.success, "\(reply.errMsg)")
                    sent += 1
                }
            }
            #expect(sent == 4)

            // Consumer: register, heartbeat until the first event, take every partition, read, commit, ack.
            var consumer = RegisterRequestC2M()
            consumer.clientID = "e2e-consumer"
            consumer.groupName = "g_e2e"
            consumer.hostName = "127.0.0.1"
            consumer.topicList = ["t_e2e"]
            let joined: RegisterResponseM2C = try await client.call(
                .consumerRegister,
                consumer,
                host: master.host,
                port: master.port
            )
            #expect(joined.success)
            #expect(joined.notAllocated)

            var event: EventProto?
            for _ in 0..<100 where event == nil {
                var beat = HeartRequestC2M()
                beat.clientID = "e2e-consumer"
                beat.groupName = "g_e2e"
                beat.reportSubscribeInfo = false
                let reply: HeartResponseM2C = try await client.call(
                    .consumerHeartbeat,
                    beat,
                    host: master.host,
                    port: master.port
                )
                #expect(reply.success)
                if reply.hasEvent { event = reply.event } else { try await Task.sleep(for: .milliseconds(50)) }
            }
            let assigned = try #require(event)
            #expect(assigned.opType == 10, "ONLY_CONNECT for a first assignment")
            let subscriptions = assigned.subscribeInfo.compactMap(MetadataStrings.parseSubscribeInfo)
            #expect(subscriptions.count == 4)

            var bodies: [String] = []
            for subscription in subscriptions {
                let partition = subscription.partition
                var reg = RegisterRequestC2B()
                reg.opType = 31
                reg.clientID = "e2e-consumer"
                reg.groupName = "g_e2e"
                reg.topicName = partition.topic
                reg.partitionID = partition.id
                reg.readStatus = 0
                let regReply: RegisterResponseB2C = try await client.call(
                    .consumerRegisterToBroker,
                    reg,
                    host: partition.broker.host,
                    port: partition.broker.port
                )
                #expect(regReply.success, "\(regReply.errMsg)")
                var get = GetMessageRequestC2B()
                get.clientID = "e2e-consumer"
                get.groupName = "g_e2e"
                get.topicName = partition.topic
                get.partitionID = partition.id
                let got: GetMessageResponseB2C = try await client.call(
                    .getMessages,
                    get,
                    host: partition.broker.host,
                    port: partition.broker.port
                )
                #expect(got.success)
                bodies += got.messages.map { String(decoding: $0.payLoadData, as: UTF8.self) }
                var commit = CommitOffsetRequestC2B()
                commit.clientID = "e2e-consumer"
                commit.groupName = "g_e2e"
                commit.topicName = partition.topic
                commit.partitionID = partition.id
                commit.lastPackConsumed = true
                let committed: CommitOffsetResponseB2C = try await client.call(
                    .commitOffset,
                    commit,
                    host: partition.broker.host,
                    port: partition.broker.port
                )
                #expect(committed.success)
            }
            #expect(bodies.sorted() == ["b1-p0", "b1-p1", "b2-p0", "b2-p1"])

            var ack = HeartRequestC2M()
            ack.clientID = "e2e-consumer"
            ack.groupName = "g_e2e"
            ack.reportSubscribeInfo = true
            ack.subscribeInfo = assigned.subscribeInfo
            var done = assigned
            done.status = 2
            ack.event = done
            let acked: HeartResponseM2C = try await client.call(
                .consumerHeartbeat,
                ack,
                host: master.host,
                port: master.port
            )
            #expect(acked.success)
            #expect(!acked.notAllocated)
            let group = try #require(await cluster.master.master.group(named: "g_e2e"))
            #expect(group.members.count == 1)

            var close = CloseRequestC2M()
            close.clientID = "e2e-consumer"
            close.groupName = "g_e2e"
            let closed: CloseResponseM2C = try await client.call(
                .consumerClose,
                close,
                host: master.host,
                port: master.port
            )
            #expect(closed.success)
        }
    }

    @Test func topicsAndCommittedOffsetsSurviveARestart() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let extra = LocalClusterConfiguration.Topic(name: "t_added", partitions: 3)
        try await ClusterTestSupport.withCluster(brokers: 1, topics: [Self.topic], directory: directory) {
            cluster,
            client in
            try await cluster.createTopic(extra)
            let broker = try #require(cluster.brokers.first)
            for i in 0..<3 {
                var send = SendMessageRequestP2B()
                send.clientID = "p"
                send.topicName = "t_added"
                send.partitionID = 2
                send.data = Data("m\(i)".utf8)
                send.flag = 0
                send.checkSum = -1
                send.sentAddr = 0
                let _: SendMessageResponseB2P = try await client.call(
                    .sendMessage,
                    send,
                    host: "127.0.0.1",
                    port: broker.port
                )
            }
            var reg = RegisterRequestC2B()
            reg.opType = 31
            reg.clientID = "c"
            reg.groupName = "g"
            reg.topicName = "t_added"
            reg.partitionID = 2
            reg.readStatus = 0
            let _: RegisterResponseB2C = try await client.call(
                .consumerRegisterToBroker,
                reg,
                host: "127.0.0.1",
                port: broker.port
            )
            var get = GetMessageRequestC2B()
            get.clientID = "c"
            get.groupName = "g"
            get.topicName = "t_added"
            get.partitionID = 2
            let _: GetMessageResponseB2C = try await client.call(
                .getMessages,
                get,
                host: "127.0.0.1",
                port: broker.port
            )
            var commit = CommitOffsetRequestC2B()
            commit.clientID = "c"
            commit.groupName = "g"
            commit.topicName = "t_added"
            commit.partitionID = 2
            commit.lastPackConsumed = true
            let committed: CommitOffsetResponseB2C = try await client.call(
                .commitOffset,
                commit,
                host: "127.0.0.1",
                port: broker.port
            )
            #expect(committed.currOffset == 84)
        }
        // Same directory, new ports, and no topic given: the master's store and the broker's offsets carry over.
        try await ClusterTestSupport.withCluster(brokers: 1, topics: [], directory: directory) { cluster, client in
            #expect(await cluster.master.master.topic(named: "t_added") != nil)
            #expect(await cluster.master.master.topic(named: "t_e2e") != nil)
            let broker = try #require(cluster.brokers.first)
            let deadline = ContinuousClock.now + .seconds(10)
            while !broker.topics.contains(where: { $0.name == "t_added" }) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            var reg = RegisterRequestC2B()
            reg.opType = 31
            reg.clientID = "c2"
            reg.groupName = "g"
            reg.topicName = "t_added"
            reg.partitionID = 2
            reg.readStatus = 0
            let resumed: RegisterResponseB2C = try await client.call(
                .consumerRegisterToBroker,
                reg,
                host: "127.0.0.1",
                port: broker.port
            )
            #expect(resumed.success, "\(resumed.errMsg)")
            #expect(resumed.currOffset == 84)
            #expect(resumed.maxOffset == 84)
        }
    }
}
