import TubeMQCore
import TubeMQWire

/// The broker accepts a payload of exactly the topic's maximum size plus 10240 bytes and refuses one
/// byte more with 400 and the original broker's text.
///
/// The maximum size is what the master tells producers (the topic's `maxMsgSize` in `topicInfos`, else
/// `appdConfig.maxMsgSize`, else 1 MiB); the original broker lets the payload (attributes included)
/// exceed it by `META_MAX_MESSAGE_HEADER_SIZE` (10240): 1,058,816 bytes at the default.
public struct MaxMessageSizeCase: ConformanceCase {
    public let name = "max_message_size"
    public let summary = "a payload of maxMsgSize+10240 bytes is accepted, one byte more is refused with 400"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let probe = try await ClusterProbe.connect(context)
        guard let partition = probe.partitions.first else { throw .violation("the topic has no partition") }
        let limit = probe.maxMessageSize + Message.headerAllowance

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
        let text = "data length over max length, allowed max length is \(limit), data length is \(limit + 1)"
        try require(
            refused.errMsg == text,
            "a message of \(limit + 1) bytes was refused with \"\(refused.errMsg)\", not \"\(text)\""
        )
    }
}
