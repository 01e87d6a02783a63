import NIOCore
public import TubeMQCore
import TubeMQWire

/// A message as a consumer receives it: the body and attributes the producer sent, with where it was read.
public struct ConsumedMessage: Sendable, Hashable {
    /// The partition the message was read from.
    public var partition: Partition
    /// The broker offset of the batch the message came in: reading the partition from here again
    /// delivers this message again (offsets are opaque broker positions, not message counts).
    public var offset: Int64
    /// The message's own offset, when the broker sent it (this project's broker, to a consumer with
    /// ``Consumer/Configuration/messageOffsets``); `nil` otherwise. Resetting the group to it
    /// delivers this message next.
    public var messageOffset: Int64?
    /// The id the broker gave the message.
    public var messageID: Int64
    /// The message: body and attributes.
    public var message: Message

    /// Creates a consumed message.
    public init(
        partition: Partition,
        offset: Int64,
        messageID: Int64,
        message: Message,
        messageOffset: Int64? = nil
    ) {
        self.partition = partition
        self.offset = offset
        self.messageID = messageID
        self.message = message
        self.messageOffset = messageOffset
    }

    /// The topic.
    public var topic: String { partition.topic }
    /// The partition's key, `brokerId:topic:partitionId`, as bound-consume offsets are keyed.
    public var partitionKey: String { partition.key }
    /// The application data.
    public var body: [UInt8] { message.body }
    /// The attributes, in the order the producer wrote them (system keys `$msgType$`, `$msgTime$` included).
    public var attributes: [(key: String, value: String)] { message.attributes }
    /// The message type (`$msgType$`), if any.
    public var messageType: String? { message.messageType }
    /// The message time (`$msgTime$`) as the producer wrote it, if any.
    public var messageTime: String? { message.messageTime }
}

extension ConsumedMessage {
    /// Decodes the messages of a fetch reply, dropping those whose checksum does not match, as the Java,
    /// C++ and Go consumers do. A payload whose attribute header is malformed is delivered whole as the body.
    static func decode(
        _ reply: GetMessageReply,
        partition: Partition,
        offset: Int64
    ) -> (
        messages: [ConsumedMessage], dropped: Int
    ) {
        var messages: [ConsumedMessage] = []
        messages.reserveCapacity(reply.messages.count)
        var dropped = 0
        reply.buffer.withUnsafeReadableBytes { raw in
            let origin = reply.buffer.readerIndex
            for item in reply.messages {
                let start = item.payloadStart - origin
                let payload = UnsafeRawBufferPointer(rebasing: raw[start..<(start + item.payloadLength)])
                guard CRC32.tubeChecksum(payload) == item.checksum else {
                    dropped += 1
                    continue
                }
                let message = (try? Message(payload: payload, flag: item.flag)) ?? Message(body: Array(payload))
                messages.append(
                    ConsumedMessage(
                        partition: partition,
                        offset: offset,
                        messageID: item.messageID,
                        message: message,
                        messageOffset: item.offset
                    )
                )
            }
        }
        return (messages, dropped)
    }
}
