import TubeMQCore
import TubeMQWire

/// The broker accepts a message of exactly the topic's maximum size and refuses one byte more with 400.
///
/// The limit is what the master tells producers (the topic's `maxMsgSize` in `topicInfos`, else
/// `appdConfig.maxMsgSize`, else 1 MiB); it covers the whole payload, attributes included.
public struct MaxMessageSizeCase: ConformanceCase {
    public let name = "max_message_size"
    public let summary = "a message of maxMsgSize bytes is accepted, maxMsgSize+1 is refused with 400"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let probe = try await ClusterProbe.connect(context)
        guard let partition = probe.partitions.first else { throw .violation("the topic has no partition") }
        let limit = probe.maxMessageSize

        let prefix = context.tag(0).bodyPrefix
        var random = SeededBytes(seed: 7)
        let exact = prefix + random.next(limit - prefix.count)
        let accepted = try await probe.send(payload: exact, flag: 0, to: partition)
        try require(
            accepted.success && accepted.errCode == ErrorCode.success.rawValue,
            "a message of exactly \(limit) bytes was refused: \(accepted.errCode) \(accepted.errMsg)"
        )

        let over = context.tag(1).bodyPrefix + random.next(limit + 1 - prefix.count)
        let refused = try await probe.send(payload: Array(over.prefix(limit + 1)), flag: 0, to: partition)
        try require(!refused.success, "a message of \(limit + 1) bytes (limit \(limit)) was accepted")
        try require(
            refused.errCode == ErrorCode.badRequest.rawValue,
            "a message of \(limit + 1) bytes was refused with \(refused.errCode) (\(refused.errMsg)), not 400"
        )
    }
}
