/// A TubeMQ message as users see it: a body plus optional `key=value` attributes.
///
/// On the wire and on disk the message is one byte string, its *payload*: when ``flag`` has
/// bit 0 set, the payload is a 4-byte big-endian attribute length, that many bytes of UTF-8
/// attribute text (`k=v,k=v`), then the body; otherwise the payload is the body alone.
public struct Message: Sendable, Hashable {
    /// The system attribute key for the message type, the filter item.
    public static let messageTypeKey = "$msgType$"
    /// The system attribute key for the message time.
    public static let messageTimeKey = "$msgTime$"
    /// How far a send's payload may exceed the topic's maximum message size: room for the attribute
    /// header (TubeMQ's `META_MAX_MESSAGE_HEADER_SIZE`); the broker accepts up to max size + this.
    public static let headerAllowance = 10_240

    /// The application data.
    public var body: [UInt8]
    /// Attributes in the order they are encoded. System keys are ``messageTypeKey`` and ``messageTimeKey``.
    public var attributes: [(key: String, value: String)]

    /// A message with a body and attributes.
    public init(body: [UInt8], attributes: [(key: String, value: String)] = []) {
        self.body = body
        self.attributes = attributes
    }

    /// The message type (`$msgType$`), if set.
    public var messageType: String? {
        get { attribute(Self.messageTypeKey) }
        set { setAttribute(Self.messageTypeKey, newValue) }
    }

    /// The message time (`$msgTime$`), if set, as the producer wrote it.
    public var messageTime: String? {
        get { attribute(Self.messageTimeKey) }
        set { setAttribute(Self.messageTimeKey, newValue) }
    }

    /// The value of attribute `key`, if present.
    public func attribute(_ key: String) -> String? {
        attributes.first(where: { $0.key == key })?.value
    }

    /// Sets or, with `nil`, removes attribute `key`, keeping the position of an existing key.
    public mutating func setAttribute(_ key: String, _ value: String?) {
        if let index = attributes.firstIndex(where: { $0.key == key }) {
            if let value { attributes[index].value = value } else { attributes.remove(at: index) }
        } else if let value {
            attributes.append((key, value))
        }
    }

    /// The flag this message travels with: bit 0 set when it has attributes.
    public var flag: Int32 { attributes.isEmpty ? 0 : MessageFlag.hasAttributes }

    /// The payload bytes as sent in `SendMessageRequestP2B.data` and stored by the broker.
    public var payload: [UInt8] {
        guard !attributes.isEmpty else { return body }
        let text = Array(MessageAttributes.encode(attributes).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(4 + text.count + body.count)
        let length = UInt32(text.count)
        out.append(UInt8(truncatingIfNeeded: length >> 24))
        out.append(UInt8(truncatingIfNeeded: length >> 16))
        out.append(UInt8(truncatingIfNeeded: length >> 8))
        out.append(UInt8(truncatingIfNeeded: length))
        out.append(contentsOf: text)
        out.append(contentsOf: body)
        return out
    }

    /// Decodes a stored or received payload.
    ///
    /// - Throws: ``MessageFormatError`` when the flag says attributes are present but the header is short
    ///   or its length runs past the payload.
    @inlinable  // specialised where it is called: unspecialised, each call looked up generic metadata
    public init(payload: some Collection<UInt8>, flag: Int32) throws(MessageFormatError) {
        guard flag & MessageFlag.hasAttributes != 0 else {
            self.init(body: Array(payload))
            return
        }
        let count = payload.count
        guard count >= 4 else { throw MessageFormatError(reason: "payload shorter than its attribute header") }
        var index = payload.startIndex
        var length = 0
        for _ in 0..<4 {
            length = length << 8 | Int(payload[index])
            payload.formIndex(after: &index)
        }
        guard length <= count - 4 else {
            throw MessageFormatError(reason: "attribute length \(length) exceeds payload of \(count) bytes")
        }
        // The body is copied once, straight from the payload; the text is decoded in place.
        let textEnd = payload.index(index, offsetBy: length)
        let text = String(decoding: payload[index..<textEnd], as: UTF8.self)
        self.init(body: Array(payload[textEnd...]), attributes: MessageAttributes.decode(text))
    }

    public static func == (lhs: Message, rhs: Message) -> Bool {
        lhs.body == rhs.body && lhs.attributes.elementsEqual(rhs.attributes, by: { $0 == $1 })
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(body)
        for (key, value) in attributes {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}

/// Bits of a message's `flag`.
public enum MessageFlag {
    /// Bit 0: the payload starts with an attribute section.
    public static let hasAttributes: Int32 = 1
}

/// A payload whose attribute header is malformed.
public struct MessageFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the payload.
    public var reason: String
    /// Creates the error.
    public init(reason: String) { self.reason = reason }
    public var description: String { "malformed message payload: \(reason)" }
}

/// The `k=v,k=v` attribute text of a message.
public enum MessageAttributes {
    /// Encodes attributes as `k=v` pairs joined by commas, in order.
    public static func encode(_ attributes: [(key: String, value: String)]) -> String {
        attributes.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// Decodes `k=v,k=v` text; an item without `=` becomes a key with an empty value, empty items are skipped.
    public static func decode(_ text: String) -> [(key: String, value: String)] {
        text.split(separator: ",", omittingEmptySubsequences: true).map { item in
            if let eq = item.firstIndex(of: "=") {
                return (String(item[..<eq]), String(item[item.index(after: eq)...]))
            }
            return (String(item), "")
        }
    }

    /// The `$msgType$` value found in a raw payload, without decoding the body. `nil` when absent or malformed.
    public static func messageType(inPayload payload: UnsafeRawBufferPointer, flag: Int32) -> String? {
        guard flag & MessageFlag.hasAttributes != 0, payload.count >= 4 else { return nil }
        let length = Int(
            UInt32(payload[0]) << 24 | UInt32(payload[1]) << 16 | UInt32(payload[2]) << 8 | UInt32(payload[3])
        )
        guard length <= payload.count - 4 else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: payload[4..<(4 + length)]), as: UTF8.self)
        return decode(text).first(where: { $0.key == Message.messageTypeKey })?.value
    }
}
