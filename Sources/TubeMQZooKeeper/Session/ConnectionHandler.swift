import NIOCore

/// The last handler of a connection's pipeline: hands frames and the connection's end to the
/// ``SessionCore`` on the same event loop, tagged with the connection attempt they belong to.
///
/// Any error (a frame over the size limit, a reset) closes the connection; the core then decides
/// whether to reconnect.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let core: NIOLoopBound<SessionCore>
    private let attemptID: Int
    private var error: (any Error)?

    init(core: NIOLoopBound<SessionCore>, attemptID: Int) {
        self.core = core
        self.attemptID = attemptID
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        core.value.frameReceived(unwrapInboundIn(data), attemptID: attemptID)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if self.error == nil { self.error = error }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        core.value.connectionClosed(attemptID: attemptID, error: error)
        context.fireChannelInactive()
    }
}
