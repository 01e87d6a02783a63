/// A TubeMQ result code, as carried in every response's `errCode` (`TErrCodeConstants`).
public struct ErrorCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// 200: the call succeeded.
    public static let success = ErrorCode(rawValue: 200)
    /// 201: the server is not ready.
    public static let notReady = ErrorCode(rawValue: 201)
    /// 301: moved.
    public static let moved = ErrorCode(rawValue: 301)
    /// 400: malformed request (bad size, empty data, bad parameter).
    public static let badRequest = ErrorCode(rawValue: 400)
    /// 401: unauthorized, or the partition is not registered by the consumer (commit).
    public static let unauthorized = ErrorCode(rawValue: 401)
    /// 403: forbidden (unknown topic or partition, checksum mismatch, no permission).
    public static let forbidden = ErrorCode(rawValue: 403)
    /// 404: no data at the requested offset.
    public static let notFound = ErrorCode(rawValue: 404)
    /// 405: every partition is frozen (client side).
    public static let allPartitionFrozen = ErrorCode(rawValue: 405)
    /// 406: no partition assigned (client side).
    public static let noPartitionAssigned = ErrorCode(rawValue: 406)
    /// 407: every partition is waiting (client side).
    public static let allPartitionWaiting = ErrorCode(rawValue: 407)
    /// 408: every partition is in use (client side).
    public static let allPartitionInUse = ErrorCode(rawValue: 408)
    /// 410: another consumer of the group registered the partition.
    public static let partitionOccupied = ErrorCode(rawValue: 410)
    /// 411: the server does not know this client; it must register again.
    public static let heartbeatNoNode = ErrorCode(rawValue: 411)
    /// 412: another consumer of the group holds the partition.
    public static let duplicatePartition = ErrorCode(rawValue: 412)
    /// 415: certificate (authentication) failure.
    public static let certificateFailure = ErrorCode(rawValue: 415)
    /// 419: the server's receive queue overflowed.
    public static let serverReceiveOverflow = ErrorCode(rawValue: 419)
    /// 420: the client is shutting down.
    public static let clientShutdown = ErrorCode(rawValue: 420)
    /// 421: the client sends too often.
    public static let clientHighFrequencyRequest = ErrorCode(rawValue: 421)
    /// 422: the partition does not accept subscriptions.
    public static let partitionUnsubscribable = ErrorCode(rawValue: 422)
    /// 423: the partition does not accept publishing.
    public static let partitionUnpublishable = ErrorCode(rawValue: 423)
    /// 424: the consumer's consume type differs from its group's.
    public static let inconsistentConsumeType = ErrorCode(rawValue: 424)
    /// 425: the consumer's topic set differs from its group's.
    public static let inconsistentTopicSet = ErrorCode(rawValue: 425)
    /// 426: the consumer's filters differ from its group's.
    public static let inconsistentFilterSet = ErrorCode(rawValue: 426)
    /// 427: the consumer's bound-consume session key differs from its group's.
    public static let inconsistentSessionKey = ErrorCode(rawValue: 427)
    /// 428: the consumer's selectBig differs from its group's.
    public static let inconsistentSelectBig = ErrorCode(rawValue: 428)
    /// 429: the consumer's source count differs from its group's.
    public static let inconsistentSourceCount = ErrorCode(rawValue: 429)
    /// 430: the consumer's node index is already taken.
    public static let duplicateIndexID = ErrorCode(rawValue: 430)
    /// 431: the topic is not deployed.
    public static let topicNotDeployed = ErrorCode(rawValue: 431)
    /// 450: the consumer group is forbidden.
    public static let consumeGroupForbidden = ErrorCode(rawValue: 450)
    /// 452: the consumer group is over its speed limit.
    public static let consumeSpeedLimit = ErrorCode(rawValue: 452)
    /// 455: the content the consumer asks for is forbidden.
    public static let consumeContentForbidden = ErrorCode(rawValue: 455)
    /// 500: internal server error.
    public static let internalServerError = ErrorCode(rawValue: 500)
    /// 503: the service is unavailable.
    public static let serviceUnavailable = ErrorCode(rawValue: 503)

    /// Fetch results that clients treat as routine (`IGNORE_ERROR_SET`).
    public static let routineFetchResults: Set<ErrorCode> = [
        .badRequest, .notFound, .allPartitionFrozen, .noPartitionAssigned, .allPartitionWaiting, .allPartitionInUse,
    ]

    public var description: String { "\(rawValue)" }
}
