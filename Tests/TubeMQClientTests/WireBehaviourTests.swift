import Foundation
import SwiftProtobuf
import Synchronization
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

/// What the client sends, checked against the recorded Java client, with scripted servers answering as
/// the recorded Java master and broker did (java-producer.jsonl, java-pull-consumer.jsonl,
/// java-consumer-rebalance.jsonl).
@Suite struct WireBehaviourTests {
    static let checksum: Int64 = 1_795_559_430_584

    @Test func producerSpeaksAsTheJavaProducer() async throws {
        let log = RequestLog()
        let broker = try await ScriptedService.start([.brokerRead, .brokerWrite], log: log) { call in
            let request = try #require(call.request as? SendMessageRequestP2B)
            var reply = SendMessageResponseB2P()
            reply.success = true
            reply.errCode = 200
            reply.errMsg = "248562314688803635\(request.partitionID)"  // older brokers: the id only here
            reply.requireAuth = false
            return reply
        }
        let brokerPort = broker.localPort
        let master = try await ScriptedService.start([.master], log: log) { call in
            RecordedReplies.producerMaster(
                call,
                checksum: Self.checksum,
                brokerInfos: ["1:127.0.0.1:\(brokerPort)"],
                topicInfos: ["t_java#1:2:1#"]
            )
        }
        let producer = try await Producer(
            configuration: Producer.Configuration(
                masters: [MasterAddress(host: "127.0.0.1", port: master.localPort)],
                heartbeatPeriod: .seconds(60)
            ),
            logger: TestCluster.logger
        )
        try await producer.publish(["t_java"])
        var results: [SendResult] = []
        for i in 0..<2 {
            var message = Message.text("java-msg-\(i)", [("serialId", "\(i)")])
            message.messageType = ["typeA", "typeB"][i]
            message.messageTime = "202611241200"
            results.append(try await producer.send(message, to: "t_java"))
        }
        await producer.shutdown()

        #expect(log.methods == [1, 2, 13, 13, 3], "register, heartbeat at once on publish, sends, close")
        let register = try #require(log.requests(RegisterRequestP2M.self).first)
        #expect(register.brokerCheckSum == -1)
        #expect(register.topicList.isEmpty)
        #expect(!register.clientID.isEmpty && register.hasHostName)
        let heartbeat = try #require(log.requests(HeartRequestP2M.self).first)
        #expect(heartbeat.brokerCheckSum == Self.checksum)
        #expect(heartbeat.topicList == ["t_java"])
        #expect(heartbeat.clientID == register.clientID)
        let sends = log.requests(SendMessageRequestP2B.self)
        #expect(sends.map(\.partitionID) == [0, 1])
        #expect(log.all.filter { $0.method == 13 }.map(\.serviceType) == [3, 3])
        for (i, send) in sends.enumerated() {
            #expect(send.topicName == "t_java")
            #expect(send.flag == 1)
            #expect(send.checkSum == -1)
            #expect(send.msgType == ["typeA", "typeB"][i])
            #expect(send.msgTime == "202611241200")
            #expect(send.authInfo.visitAuthorizedToken == RecordedReplies.visitToken)
            #expect(send.hasSentAddr)
        }
        // The recorded Java producer's first message, byte for byte.
        #expect(
            sends[0].data.map { String(format: "%02x", $0) }.joined()
                == "00000031246d736754797065243d74797065412c246d736754696d65243d3230323631313234313230302c"
                + "73657269616c49643d306a6176612d6d73672d30"
        )
        #expect(results.map(\.messageID) == [2_485_623_146_888_036_350, 2_485_623_146_888_036_351])
        #expect(results.map(\.offset) == [-1, -1])
        #expect(log.requests(CloseRequestP2M.self).first?.clientID == register.clientID)
        await master.shutdown()
        await broker.shutdown()
    }

    @Test func pullConsumerSpeaksAsTheJavaPullConsumer() async throws {
        let log = RequestLog()
        let gets = Mutex<[Int32: Int]>([:])
        let broker = try await ScriptedService.start([.brokerRead, .brokerWrite], log: log) { call in
            switch call.request {
            case let request as RegisterRequestC2B:
                var reply = RegisterResponseB2C()
                reply.success = true
                reply.errCode = 200
                reply.errMsg = "OK!"
                reply.currOffset = request.opType == 31 ? 0 : -1
                if request.opType == 31 { reply.maxOffset = 140 }
                return reply
            case let request as GetMessageRequestC2B:
                let count = gets.withLock { counts -> Int in
                    counts[request.partitionID, default: 0] += 1
                    return counts[request.partitionID, default: 0]
                }
                guard request.partitionID == 0, count == 1 else { return RecordedReplies.noData() }
                var reply = GetMessageResponseB2C()
                reply.success = true
                reply.errCode = 200
                reply.errMsg = "OK!"
                reply.messages = [Self.transferred("good", id: 7), Self.transferred("corrupt", id: 8, corrupt: true)]
                reply.currOffset = 0
                reply.minLimitTime = 0
                reply.escFlowCtrl = false
                reply.currDataDlt = 30114
                reply.requireSlow = false
                reply.maxOffset = 140
                return reply
            case is CommitOffsetRequestC2B:
                var reply = CommitOffsetResponseB2C()
                reply.success = true
                reply.errCode = 200
                reply.errMsg = "OK!"
                reply.currOffset = 140
                reply.maxOffset = 140
                return reply
            default:
                var reply = HeartBeatResponseB2C()
                reply.success = true
                reply.errCode = 200
                reply.errMsg = "OK!"
                reply.hasPartFailure_p = false
                reply.requireAuth = false
                return reply
            }
        }
        let brokerPort = broker.localPort
        let heartbeats = Mutex(0)
        let master = try await ScriptedService.start([.master], log: log) { call in
            switch call.request {
            case is RegisterRequestC2M:
                var reply = RegisterResponseM2C()
                reply.success = true
                reply.errCode = 200
                reply.errMsg = "OK!"
                reply.notAllocated = true
                reply.defFlowCheckID = -2
                reply.defFlowControlInfo = " "
                reply.groupFlowCheckID = -2
                reply.groupFlowControlInfo = " "
                reply.ssdStoreID = -2
                reply.qryPriorityID = -2
                reply.authorizedInfo = RecordedReplies.authorized
                return reply
            case let request as HeartRequestC2M:
                guard
                    heartbeats.withLock({
                        $0 += 1
                        return $0
                    }) == 2
                else {
                    return RecordedReplies.consumerHeartbeat(notAllocated: !request.hasEvent)
                }
                var event = EventProto()
                event.rebalanceID = 65
                event.opType = 10
                event.subscribeInfo = [1, 0].map { "\(request.clientID)@g_java#1:127.0.0.1:\(brokerPort)#t_java:\($0)" }
                return RecordedReplies.consumerHeartbeat(event: event)
            default:
                var reply = CloseResponseM2C()
                reply.success = true
                reply.errCode = 200
                reply.errMsg = "OK!"
                return reply
            }
        }
        var configuration = Consumer.Configuration(
            masters: [MasterAddress(host: "127.0.0.1", port: master.localPort)],
            group: "g_java",
            topics: ["t_java"],
            startPosition: .first,
            heartbeatPeriod: .milliseconds(100)
        )
        configuration.minimumFetchBackoff = .milliseconds(20)
        configuration.maximumFetchBackoff = .milliseconds(50)
        let consumer = try await PullConsumer(configuration: configuration, logger: TestCluster.logger)
        try await withTimeout(.seconds(20)) {
            var batches = consumer.makeAsyncIterator()  // the consumer leaves when this iterator goes away
            let received = try #require(try await batches.next())
            #expect(received.messages.map(\.text) == ["good"], "a message with a bad checksum is dropped")
            #expect(try await received.confirm() == 140)
            // The acknowledgement goes out with the next heartbeat, reporting what is held.
            try await eventually("event acknowledged") { log.requests(HeartRequestC2M.self).contains { $0.hasEvent } }
        }
        await consumer.shutdown()
        await master.shutdown()
        await broker.shutdown()

        let register = try #require(log.requests(RegisterRequestC2M.self).first)
        #expect(register.groupName == "g_java" && register.topicList == ["t_java"])
        #expect(register.hasRequireBound && !register.requireBound)
        #expect(register.hasSessionTime)
        #expect(register.defFlowCheckID == -2 && register.groupFlowCheckID == -2 && register.qryPriorityID == -2)
        let beats = log.requests(HeartRequestC2M.self)
        #expect(beats.first.map { !$0.reportSubscribeInfo && !$0.hasEvent } == true)
        let ack = try #require(beats.first { $0.hasEvent })
        #expect(ack.event.rebalanceID == 65 && ack.event.opType == 10 && ack.event.status == 2)
        #expect(ack.event.subscribeInfo.count == 2)
        #expect(ack.reportSubscribeInfo)
        #expect(Set(ack.subscribeInfo) == Set(ack.event.subscribeInfo), "the report names the held partitions")

        let brokerRegistrations = log.requests(RegisterRequestC2B.self)
        let registers = brokerRegistrations.filter { $0.opType == 31 }
        #expect(Set(registers.map(\.partitionID)) == [0, 1])
        #expect(registers.allSatisfy { $0.readStatus == 0 && $0.qryPriorityID == -2 })
        #expect(registers.allSatisfy { $0.authInfo.visitAuthorizedToken == RecordedReplies.visitToken })
        let firstGet = try #require(log.requests(GetMessageRequestC2B.self).first)
        #expect(firstGet.hasLastPackConsumed && !firstGet.lastPackConsumed)
        #expect(firstGet.hasManualCommitOffset && firstGet.hasEscFlowCtrl)
        #expect(log.all.filter { $0.method == 17 }.allSatisfy { $0.serviceType == 2 })
        let commit = try #require(log.requests(CommitOffsetRequestC2B.self).first)
        #expect(commit.partitionID == 0 && commit.lastPackConsumed)
        // Leaving: unregister every partition (readStatus 0: everything handed out was confirmed), then close.
        let unregisters = brokerRegistrations.filter { $0.opType == 32 }
        #expect(Set(unregisters.map(\.partitionID)) == [0, 1])
        #expect(unregisters.allSatisfy { $0.readStatus == 0 })
        let methods = log.methods
        let lastUnregister = try #require(methods.lastIndex(of: 15))
        #expect(methods.last == 6 && lastUnregister < methods.count - 1, "unregister before closing at the master")
    }

    static func transferred(_ text: String, id: Int64, corrupt: Bool = false) -> TransferedMessage {
        var message = TransferedMessage()
        message.messageID = id
        message.payLoadData = Data(text.utf8)
        message.checkSum = CRC32.tubeChecksum(Array(text.utf8)) &+ (corrupt ? 1 : 0)
        message.flag = 0
        return message
    }
}
