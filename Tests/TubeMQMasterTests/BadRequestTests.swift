import Foundation
import NIOCore
import SwiftProtobuf
import Testing
import TubeMQMaster
import TubeMQWire

/// Requests the master cannot serve get the real server's exception or error replies through the
/// full server, and the connection keeps working.
@Suite struct BadRequestTests {
    @Test func missingRequiredFieldGetsTheFatalReplyAndTheConnectionStaysUsable() async throws {
        try await TestMaster.with { harness in
            // RegisterRequestP2M with clientId and brokerCheckSum but no hostName.
            var body = ByteBuffer()
            body.writeBytes([0x0A, 0x01, 0x78, 0x18, 0x01])
            let reply = try await harness.raw(method: 1, request: body, serviceType: .master)
            guard case .exception(let exception) = reply else {
                Issue.record("expected an exception, got \(reply)")
                return
            }
            #expect(exception.status == .fatal)
            #expect(exception.exceptionName == RemoteException.invalidProtobufName)
            #expect(exception.message == "IPC server handle request error :Message missing required fields: hostName")

            var register = RegisterRequestP2M()
            register.clientID = "after-the-bad-one"
            register.brokerCheckSum = -1
            register.hostName = "127.0.0.1"
            let ok: RegisterResponseM2P = try await harness.call(.producerRegister, register)
            #expect(ok.success && ok.errMsg == "OK!")
        }
    }

    /// A client id over 2048 characters is refused (a 5 MiB one was registered and logged whole, 150
    /// of them took the master from 174 MB to 842 MB).
    @Test func anOverlongClientIDIsRefused() async throws {
        try await TestMaster.with { harness in
            var producer = RegisterRequestP2M()
            producer.clientID = String(repeating: "p", count: 2049)
            producer.brokerCheckSum = -1
            producer.hostName = "127.0.0.1"
            let refused: RegisterResponseM2P = try await harness.call(.producerRegister, producer)
            #expect(!refused.success && refused.errCode == 400, "\(refused.errMsg)")
            #expect(refused.errMsg.contains("longer than 2048"))
            #expect(refused.errMsg.count < 300, "quotes only the start of the id")

            var consumer = RegisterRequestC2M()
            consumer.clientID = String(repeating: "c", count: 2049)
            consumer.groupName = "g_long"
            consumer.hostName = "127.0.0.1"
            consumer.topicList = ["t_probe"]
            let consumerRefused: RegisterResponseM2C = try await harness.call(.consumerRegister, consumer)
            #expect(!consumerRefused.success && consumerRefused.errCode == 400, "\(consumerRefused.errMsg)")
        }
    }

    /// Topic lists and filter items a registration makes the master keep are bounded: 200 registrations
    /// with a 1 MB topic name or filter item each took it from 67 MB to 271 MB, until they timed out.
    @Test func oversizedTopicListsAndFilterItemsAreRefused() async throws {
        try await TestMaster.with { harness in
            try await harness.setUpRecordedCluster(topics: ["t_probe"])
            var producer = RegisterRequestP2M()
            producer.clientID = "p_big"
            producer.brokerCheckSum = -1
            producer.hostName = "127.0.0.1"
            producer.topicList = [String(repeating: "t", count: 1_000_000)]
            let longTopic: RegisterResponseM2P = try await harness.call(.producerRegister, producer)
            #expect(!longTopic.success && longTopic.errCode == 400, "\(longTopic.errMsg)")
            #expect(longTopic.errMsg.contains("longer than 64"), "\(longTopic.errMsg)")
            #expect(longTopic.errMsg.count < 300, "quotes only the start of the name")
            producer.topicList = (0...1024).map { "t_\($0)" }
            let manyTopics: RegisterResponseM2P = try await harness.call(.producerRegister, producer)
            #expect(!manyTopics.success && manyTopics.errCode == 400, "\(manyTopics.errMsg)")
            producer.topicList = ["t_probe", "a.topic.nobody.deployed"]
            let fine: RegisterResponseM2P = try await harness.call(.producerRegister, producer)
            #expect(fine.success, "an unknown topic gets no partitions, it is not refused: \(fine.errMsg)")

            var consumer = RegisterRequestC2M()
            consumer.clientID = "c_big"
            consumer.groupName = "g_big"
            consumer.hostName = "127.0.0.1"
            consumer.topicList = ["t_probe"]
            consumer.topicCondition = ["t_probe#" + String(repeating: "f", count: 1_000_000)]
            let longItem: RegisterResponseM2C = try await harness.call(.consumerRegister, consumer)
            #expect(!longItem.success && longItem.errCode == 400, "\(longItem.errMsg)")
            #expect(longItem.errMsg.contains("longer than 256"), "\(longItem.errMsg)")
            consumer.topicCondition = ["t_probe#" + (0...500).map { "f\($0)" }.joined(separator: ",")]
            let manyItems: RegisterResponseM2C = try await harness.call(.consumerRegister, consumer)
            #expect(!manyItems.success && manyItems.errCode == 400, "\(manyItems.errMsg)")

            consumer.topicCondition = []
            consumer.requireBound = true
            consumer.sessionKey = "s1"
            consumer.sessionTime = 1
            consumer.totalCount = 1
            consumer.requiredPartition = "1:" + String(repeating: "x", count: 100_000) + ":0=5"
            let foreign: RegisterResponseM2C = try await harness.call(.consumerRegister, consumer)
            #expect(!foreign.success && foreign.errCode == 400, "\(foreign.errMsg)")
            #expect(foreign.errMsg.contains("subscribed topic"), "\(foreign.errMsg)")
            consumer.requiredPartition = "1:t_probe:0=0"
            consumer.sessionKey = String(repeating: "k", count: 1025)
            let longKey: RegisterResponseM2C = try await harness.call(.consumerRegister, consumer)
            #expect(!longKey.success && longKey.errCode == 400, "\(longKey.errMsg)")
            consumer.sessionKey = "s1"
            let bound: RegisterResponseM2C = try await harness.call(.consumerRegister, consumer)
            #expect(bound.success, "\(bound.errMsg)")
        }
    }

    @Test func methodZeroAndBrokerMethodsGetTheRecordedExceptions() async throws {
        try await TestMaster.with { harness in
            let zero = try await harness.raw(method: 0, request: nil, serviceType: .master, protocolVersion: 2)
            #expect(zero == .exception(.unsupportedMethod(0)))
            var message = SendMessageRequestP2B()
            message.clientID = "x"
            message.topicName = "t_probe"
            message.partitionID = 0
            message.data = Data([0x78])
            message.flag = 0
            message.checkSum = -1
            message.sentAddr = 0
            let bytes: [UInt8] = try message.serializedBytes()
            let send = try await harness.raw(method: 13, request: ByteBuffer(bytes: bytes), serviceType: .brokerWrite)
            #expect(send == .exception(.noService(3)))
        }
    }

    @Test(arguments: [20, 21, 22] as [Int32])
    func clientBalanceMethodsRefuseBadOrUnknownConsumers(_ id: Int32) async throws {
        try await TestMaster.with { harness in
            let method = try #require(RPCMethod.withID(id))
            switch id {
            case 20:
                var request = RegisterRequestC2MV2()
                request.clientID = "c1"
                request.groupName = "g1"
                request.hostName = "h1"
                request.sourceCount = 2
                request.nodeID = 2
                request.topicList = ["t_probe"]
                let reply: RegisterResponseM2CV2 = try await harness.call(method, request)
                #expect(reply.errCode == 400)
                #expect(reply.errMsg == "Request nodeId value must be between in [0, sourceCount-1]!")
                request.nodeID = 0
                request.topicList = []
                let empty: RegisterResponseM2CV2 = try await harness.call(method, request)
                #expect(empty.errCode == 400)
                #expect(!empty.hasBrokerConfigID)
            case 21:
                var request = HeartRequestC2MV2()
                request.clientID = "c1"
                request.groupName = "g1"
                let reply: HeartResponseM2CV2 = try await harness.call(method, request)
                #expect(reply.errCode == 411)
                #expect(!reply.hasOpsTaskInfo)
            default:
                var request = GetPartMetaRequestC2M()
                request.clientID = "c1"
                request.groupName = "g1"
                request.brokerConfigID = -2
                request.topicMetaInfoID = -2
                let reply: GetPartMetaResponseM2C = try await harness.call(method, request)
                #expect(reply.errCode == 411)
                #expect(reply.topicMetaInfoList.isEmpty)
            }
        }
    }
}
