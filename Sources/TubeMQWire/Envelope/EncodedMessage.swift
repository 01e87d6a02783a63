import Foundation
public import NIOCore
public import SwiftProtobuf

/// A protobuf message that is already encoded: serializing it writes ``bytes`` unchanged.
///
/// Hot paths that encode a reply by hand (``GetMessageReplyWriter``) hand it to code that expects
/// a `SwiftProtobuf.Message`; the RPC server writes it straight into the reply (``DirectlyEncodable``). It carries no schema: decoding into it keeps every field as unknown
/// bytes, and it compares equal to another only byte for byte.
public struct EncodedMessage: SwiftProtobuf.Message, Hashable, CustomDebugStringConvertible {
    /// No proto name of its own: it stands in for whatever message its bytes encode.
    public static let protoMessageName = "swift_tubemq.EncodedMessage"

    /// The encoded message.
    public private(set) var bytes: ByteBuffer

    /// Fields decoded into the message (all of them: it knows none).
    public var unknownFields = SwiftProtobuf.UnknownStorage()

    /// An empty message.
    public init() {
        bytes = ByteBuffer()
    }

    /// Wraps encoded message bytes.
    public init(_ bytes: ByteBuffer) {
        self.bytes = bytes
    }

    /// Always: the encoder of the bytes answered for their required fields.
    public var isInitialized: Bool { true }

    /// Keeps every field as unknown bytes.
    public mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while try decoder.nextFieldNumber() != nil {}
    }

    /// Visits the bytes (and any decoded fields) as unknown fields, which encoders copy verbatim.
    public func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if bytes.readableBytes > 0 {
            try bytes.withUnsafeReadableBytes { raw in
                guard let base = raw.baseAddress else { return }
                // The visitor copies or measures the bytes during the call and keeps nothing.
                try visitor.visitUnknown(
                    bytes: Data(
                        bytesNoCopy: UnsafeMutableRawPointer(mutating: base),
                        count: raw.count,
                        deallocator: .none
                    )
                )
            }
        }
        try unknownFields.traverse(visitor: &visitor)
    }

    /// Equal when the bytes are.
    public func isEqualTo(message: any SwiftProtobuf.Message) -> Bool {
        guard let other = message as? EncodedMessage else { return false }
        return self == other
    }

    public static func == (lhs: EncodedMessage, rhs: EncodedMessage) -> Bool {
        lhs.bytes == rhs.bytes && lhs.unknownFields == rhs.unknownFields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes)
    }

    public var debugDescription: String { "EncodedMessage(\(bytes.readableBytes) bytes)" }
}

extension EncodedMessage: DirectlyEncodable {
    /// The size of ``bytes`` and any decoded fields.
    public var directlyEncodedSize: Int { bytes.readableBytes + unknownFields.data.count }

    /// Appends ``bytes`` and any decoded fields.
    public func encodeDirectly(into buffer: inout ByteBuffer) {
        buffer.writeImmutableBuffer(bytes)
        if !unknownFields.data.isEmpty { buffer.writeBytes(unknownFields.data) }
    }
}
