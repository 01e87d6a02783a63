import Foundation
import TubeMQBroker
import TubeMQCore
import TubeMQRPC
import TubeMQWire

/// Typed calls to a broker under test.
struct BrokerCalls {
    let client: RPCClient
    let port: Int

    func send(
        _ topic: String,
        _ partition: Int32,
        _ message: Message,
        checksum: Int32 = -1
    ) async throws -> SendMessageResponseB2P {
        var request = SendMessageRequestP2B()
        request.clientID = "producer"
        request.topicName = topic
        request.partitionID = partition
        request.data = Data(message.payload)
        request.flag = message.flag
        request.checkSum = checksum
        request.sentAddr = 0x7F00_0001
        if let type = message.messageType { request.msgType = type }
        return try await client.call(.sendMessage, request, host: "127.0.0.1", port: port)
    }

    func register(
        _ consumer: String,
        group: String,
        _ topic: String,
        _ partition: Int32,
        readStatus: Int32 = 0,
        filters: [String] = [],
        offset: Int64? = nil,
        startTime: Int64? = nil
    ) async throws -> RegisterResponseB2C {
        var request = RegisterRequestC2B()
        request.opType = 31
        request.clientID = consumer
        request.groupName = group
        request.topicName = topic
        request.partitionID = partition
        request.readStatus = readStatus
        request.filterCondStr = filters
        if let offset { request.currOffset = offset }
        if let startTime { request.startTime = startTime }
        return try await client.call(.consumerRegisterToBroker, request, host: "127.0.0.1", port: port)
    }

    func unregister(
        _ consumer: String,
        group: String,
        _ topic: String,
        _ partition: Int32,
        readStatus: Int32
    )
        async throws -> RegisterResponseB2C
    {
        var request = RegisterRequestC2B()
        request.opType = 32
        request.clientID = consumer
        request.groupName = group
        request.topicName = topic
        request.partitionID = partition
        request.readStatus = readStatus
        return try await client.call(.consumerRegisterToBroker, request, host: "127.0.0.1", port: port)
    }

    func get(
        _ consumer: String,
        group: String,
        _ topic: String,
        _ partition: Int32,
        consumed: Bool = false,
        maxWaitMs: Int32? = nil,
        maxCount: Int32? = nil
    )
        async throws -> GetMessageResponseB2C
    {
        var request = GetMessageRequestC2B()
        request.clientID = consumer
        request.groupName = group
        request.topicName = topic
        request.partitionID = partition
        request.lastPackConsumed = consumed
        if let maxWaitMs { request.maxWaitMs = maxWaitMs }
        if let maxCount { request.maxCount = maxCount }
        return try await client.call(.getMessages, request, host: "127.0.0.1", port: port)
    }

    func commit(
        _ consumer: String,
        group: String,
        _ topic: String,
        _ partition: Int32
    ) async throws
        -> CommitOffsetResponseB2C
    {
        var request = CommitOffsetRequestC2B()
        request.clientID = consumer
        request.groupName = group
        request.topicName = topic
        request.partitionID = partition
        request.lastPackConsumed = true
        return try await client.call(.commitOffset, request, host: "127.0.0.1", port: port)
    }

    /// Reads everything left on a partition, confirming each batch; returns the bodies.
    func drain(_ consumer: String, group: String, _ topic: String, _ partition: Int32) async throws -> [[UInt8]] {
        var bodies: [[UInt8]] = []
        var consumed = false
        while true {
            let reply = try await get(consumer, group: group, topic, partition, consumed: consumed)
            if reply.errCode == 404 { return bodies }
            guard reply.success else { throw BrokerTestFailure(reply.errMsg) }
            for message in reply.messages {
                bodies.append(try Message(payload: Array(message.payLoadData), flag: message.flag).body)
            }
            consumed = true
        }
    }
}

struct BrokerTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
