import NIOCore

/// The first frame a client sends on a connection: open a new session or resume one.
struct ConnectRequest: Sendable, Equatable {
    var protocolVersion: Int32 = 0
    /// The highest zxid seen on this session so far (0 for a new session).
    var lastZxidSeen: Int64
    /// The requested session timeout in milliseconds.
    var timeoutMilliseconds: Int32
    /// 0 for a new session; the existing id to resume one.
    var sessionID: Int64
    /// 16 zero bytes for a new session; the server-issued password to resume one.
    var password: [UInt8]
    var readOnly = false

    /// The whole frame, length prefix included.
    func encodedFrame() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(0 as Int32)
        buffer.writeJuteInt(protocolVersion)
        buffer.writeJuteLong(lastZxidSeen)
        buffer.writeJuteInt(timeoutMilliseconds)
        buffer.writeJuteLong(sessionID)
        buffer.writeJuteBuffer(password)
        buffer.writeJuteBool(readOnly)
        buffer.setInteger(Int32(buffer.readableBytes - 4), at: 0)
        return buffer
    }
}

/// The server's answer to a ``ConnectRequest``. A timeout of 0 or less means the session is expired
/// (or was closed, or the password was wrong).
struct ConnectResponse: Sendable, Equatable {
    var protocolVersion: Int32
    /// The negotiated session timeout in milliseconds.
    var timeoutMilliseconds: Int32
    var sessionID: Int64
    var password: [UInt8]
    /// Absent from servers answering an old client; `false` then.
    var readOnly: Bool

    /// Whether the server refused to open or resume the session.
    var isExpired: Bool { timeoutMilliseconds <= 0 }

    /// Decodes the payload of the first inbound frame.
    init(from payload: inout ByteBuffer) throws(JuteDecodingError) {
        protocolVersion = try payload.readJuteInt("ConnectResponse")
        timeoutMilliseconds = try payload.readJuteInt("ConnectResponse")
        sessionID = try payload.readJuteLong("ConnectResponse")
        password = try payload.readJuteBuffer("ConnectResponse")
        readOnly = payload.readableBytes > 0 ? try payload.readJuteBool("ConnectResponse") : false
    }
}
