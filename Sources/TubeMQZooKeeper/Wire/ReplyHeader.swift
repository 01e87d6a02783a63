import NIOCore

/// The header of every inbound frame after the handshake.
struct ReplyHeader: Sendable, Equatable {
    /// The request's xid, or a reserved one (``SpecialXid``).
    var xid: Int32
    /// The server's last processed zxid (the write's own zxid for a write; -1 on notifications).
    var zxid: Int64
    /// 0, or a `KeeperException` code; the body is present only when 0 (multi aside).
    var err: Int32

    init(xid: Int32, zxid: Int64, err: Int32) {
        self.xid = xid
        self.zxid = zxid
        self.err = err
    }

    init(from payload: inout ByteBuffer) throws(JuteDecodingError) {
        xid = try payload.readJuteInt("ReplyHeader")
        zxid = try payload.readJuteLong("ReplyHeader")
        err = try payload.readJuteInt("ReplyHeader")
    }
}
