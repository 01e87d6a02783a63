import NIOCore

/// The body of a watch notification (xid -1): `int type, int state, ustring path`.
struct WatcherEvent: Sendable, Equatable {
    var type: Int32
    var state: Int32
    /// The server path (chroot included).
    var path: String

    init(type: Int32, state: Int32, path: String) {
        self.type = type
        self.state = state
        self.path = path
    }

    init(from payload: inout ByteBuffer) throws(JuteDecodingError) {
        type = try payload.readJuteInt("WatcherEvent")
        state = try payload.readJuteInt("WatcherEvent")
        path = try payload.readJuteString("WatcherEvent")
    }
}
