import Foundation
import TubeMQCore
import TubeMQWire

/// A raw consumer that registers a partition from the latest offset, reads the message sent after it,
/// and keeps confirming gets the "no data" answer 404, again and again, until new data comes.
public struct EndOfDataCase: ConformanceCase {
    public let name = "end_of_data"
    public let summary = "reading past the last message gets 404, and the flow registers and unregisters cleanly"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let probe = try await ClusterProbe.connect(context)
        guard let partition = probe.partitions.last else { throw .violation("the topic has no partition") }
        let clientID = "conf-eod-\(context.settings.runID)"
        let group = context.group()

        var register = RegisterRequestC2B()
        register.opType = 31
        register.clientID = clientID
        register.groupName = group
        register.topicName = partition.topic
        register.partitionID = partition.id
        register.readStatus = 1
        register.qryPriorityID = -2
        let registered: RegisterResponseB2C = try await probe.call(
            .consumerRegisterToBroker,
            register,
            at: partition.broker
        )
        try require(
            registered.success,
            "registering \(partition) at its broker failed: \(registered.errCode) \(registered.errMsg)"
        )
        let registration = register
        context.onCleanup {
            var unregister = registration
            unregister.opType = 32
            unregister.readStatus = 1
            let _: RegisterResponseB2C? = try? await probe.call(
                .consumerRegisterToBroker,
                unregister,
                at: partition.broker
            )
        }

        let tag = context.tag(0)
        let sent = try await probe.send(tag.message(body: Array("end of data".utf8)), to: partition)
        try require(sent.success, "sending to \(partition) failed: \(sent.errCode) \(sent.errMsg)")

        var seen = false
        var confirm = false
        var notFound = 0
        var gets = 0
        while notFound < 2 {
            gets += 1
            guard gets <= 500 else { throw .violation("500 gets on \(partition) never reached 404") }
            let reply = try await get(partition, clientID: clientID, group: group, confirm: confirm, probe)
            if reply.success {
                try require(
                    reply.errCode == ErrorCode.success.rawValue,
                    "a successful get has errCode \(reply.errCode)"
                )
                seen = seen || reply.messages.contains { Self.isTagged($0, tag) }
                confirm = true
                continue
            }
            confirm = false
            try require(
                reply.errCode == ErrorCode.notFound.rawValue,
                "a get on \(partition) answered \(reply.errCode) (\(reply.errMsg)), expected data or 404"
            )
            if seen {
                notFound += 1
            } else {
                try await context.pause(.milliseconds(200))  // the message may not be readable yet
            }
        }
        var unregister = register
        unregister.opType = 32
        unregister.readStatus = 0
        let left: RegisterResponseB2C = try await probe.call(
            .consumerRegisterToBroker,
            unregister,
            at: partition.broker
        )
        try require(left.success, "unregistering \(partition) failed: \(left.errCode) \(left.errMsg)")
    }

    private func get(
        _ partition: Partition,
        clientID: String,
        group: String,
        confirm: Bool,
        _ probe: ClusterProbe
    ) async throws(ConformanceError) -> GetMessageResponseB2C {
        var request = GetMessageRequestC2B()
        request.clientID = clientID
        request.partitionID = partition.id
        request.groupName = group
        request.topicName = partition.topic
        request.lastPackConsumed = confirm
        request.manualCommitOffset = false
        request.escFlowCtrl = false
        return try await probe.call(.getMessages, request, at: partition.broker)
    }

    private static func isTagged(_ message: TransferedMessage, _ tag: MessageTag) -> Bool {
        guard let decoded = try? Message(payload: message.payLoadData, flag: message.flag) else { return false }
        return MessageTag(decoded) == tag
    }
}
