import TubeMQCore

/// A message laid out for `SendMessageRequestP2B`, as the Java producer lays it out (spec A.6).
///
/// Attributes are written `$msgType$`, then `$msgTime$`, then the user's keys in their order, as
/// `k=v,k=v` behind a 4-byte big-endian length, with flag bit 0 set; a message without attributes is
/// sent as its bare body with flag 0.
struct OutgoingPayload: Sendable {
    /// The bytes of `SendMessageRequestP2B.data`.
    var data: [UInt8]
    /// `SendMessageRequestP2B.flag`.
    var flag: Int32
    /// `SendMessageRequestP2B.msgType`, when the message has a type.
    var messageType: String?
    /// `SendMessageRequestP2B.msgTime`, when the message has a time.
    var messageTime: String?

    /// Lays out `message`.
    ///
    /// - Throws: ``ClientError`` `invalidArgument` for an empty body, an empty key, or a key or value
    ///   containing `,` or `=` (they would corrupt the attribute text).
    init(_ message: Message) throws(ClientError) {
        guard !message.body.isEmpty else { throw ClientError(.invalidArgument, "the message body is empty") }
        guard !message.attributes.isEmpty else {
            // The common case: the bare body, shared with the message (no copy).
            data = message.body
            flag = 0
            messageType = nil
            messageTime = nil
            return
        }
        for (key, value) in message.attributes {
            guard !key.isEmpty else { throw ClientError(.invalidArgument, "an attribute key is empty") }
            guard !Self.hasSeparator(key) else {
                throw ClientError(
                    .invalidArgument,
                    "attribute key \(key) contains ',' or '=', which the attribute text reserves"
                )
            }
            guard !Self.hasSeparator(value) else {
                throw ClientError(
                    .invalidArgument,
                    "the value of attribute \(key) contains ',' or '=', which the attribute text reserves"
                )
            }
        }
        var ordered: [(key: String, value: String)] = []
        ordered.reserveCapacity(message.attributes.count)
        if let type = message.messageType { ordered.append((Message.messageTypeKey, type)) }
        if let time = message.messageTime { ordered.append((Message.messageTimeKey, time)) }
        for pair in message.attributes where pair.key != Message.messageTypeKey && pair.key != Message.messageTimeKey {
            ordered.append(pair)
        }
        let normalized = Message(body: message.body, attributes: ordered)
        data = normalized.payload
        flag = normalized.flag
        messageType = message.messageType
        messageTime = message.messageTime
    }

    private static func hasSeparator(_ text: String) -> Bool {
        text.utf8.contains(UInt8(ascii: ",")) || text.utf8.contains(UInt8(ascii: "="))
    }
}
