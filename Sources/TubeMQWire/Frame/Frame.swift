public import NIOCore

/// One TubeMQ RPC frame: a serial number and the envelope bytes it carries.
///
/// On the wire a frame is `beginToken:u32 serialNo:u32 listSize:u32 { len:u32 bytes[len] } * listSize`,
/// all big-endian. The chunk boundaries carry no meaning, so a decoded frame keeps only the
/// concatenated ``payload``; ``FrameEncoder`` re-chunks it at ``Frame/maxChunkLength`` bytes.
public struct Frame: Sendable, Equatable {
    /// The first four bytes of every frame (`RPC_PROTOCOL_BEGIN_TOKEN`).
    public static let beginToken: UInt32 = 0xFF7F_F4FE
    /// Size of the chunks a payload is split into (`RPC_MAX_BUFFER_SIZE`).
    public static let maxChunkLength = 8192
    /// Largest chunk count the Java decoder accepts: (20 MiB + 8 MiB) / 8192.
    public static let maxListSize = 3584
    /// Largest response the strictest client (C++) accepts: 8 MiB of payload.
    public static let maxResponsePayload = 8 * 1024 * 1024
    /// Bytes before the first chunk: token, serial number, list size.
    public static let headerLength = 12

    /// Correlates a response with its request; the response echoes the request's value.
    public var serialNumber: UInt32
    /// The RPC envelope bytes (see ``RequestEnvelope`` and ``ResponseEnvelope``).
    public var payload: ByteBuffer

    /// Creates a frame.
    public init(serialNumber: UInt32, payload: ByteBuffer) {
        self.serialNumber = serialNumber
        self.payload = payload
    }
}
