import TubeMQCore
import TubeMQWire

/// A broker serves only consumers that registered the partition: a get from a stranger is refused with
/// 411 (register first), a commit with 401.
public struct UnregisteredConsumerCase: ConformanceCase {
    public let name = "unregistered_consumer"
    public let summary = "a get from an unregistered consumer gets 411, a commit 401"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let probe = try await ClusterProbe.connect(context)
        let clientID = "conf-stranger-\(context.settings.runID)"
        for partition in probe.partitions {
            var get = GetMessageRequestC2B()
            get.clientID = clientID
            get.partitionID = partition.id
            get.groupName = context.group()
            get.topicName = partition.topic
            get.lastPackConsumed = false
            get.manualCommitOffset = false
            get.escFlowCtrl = false
            let reply: GetMessageResponseB2C = try await probe.call(.getMessages, get, at: partition.broker)
            try require(!reply.success, "\(partition): a get from an unregistered consumer succeeded")
            try require(
                reply.errCode == ErrorCode.heartbeatNoNode.rawValue,
                "\(partition): a get from an unregistered consumer got \(reply.errCode) (\(reply.errMsg)), not 411"
            )

            var commit = CommitOffsetRequestC2B()
            commit.clientID = clientID
            commit.topicName = partition.topic
            commit.partitionID = partition.id
            commit.groupName = context.group()
            commit.lastPackConsumed = true
            let committed: CommitOffsetResponseB2C = try await probe.call(.commitOffset, commit, at: partition.broker)
            try require(!committed.success, "\(partition): a commit from an unregistered consumer succeeded")
            try require(
                committed.errCode == ErrorCode.unauthorized.rawValue,
                "\(partition): a commit from an unregistered consumer got \(committed.errCode) "
                    + "(\(committed.errMsg)), not 401"
            )
        }
    }
}
