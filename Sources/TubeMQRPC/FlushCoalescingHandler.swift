import NIOCore

/// Merges the flushes issued during one event-loop tick into one, so that many calls or replies
/// completing together go out in one `writev` instead of one system call each.
///
/// A flush is deferred to the end of the current tick (`EventLoop.execute`), so it costs one loop hop
/// of latency and never holds data longer than that.
final class FlushCoalescingHandler: ChannelOutboundHandler, @unchecked Sendable {
    // @unchecked: state is touched only on the channel's event loop.
    typealias OutboundIn = Any
    typealias OutboundOut = Any

    private var flushPending = false

    func flush(context: ChannelHandlerContext) {
        guard !flushPending else { return }
        flushPending = true
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let (handler, context) = bound.value
            handler.flushPending = false
            context.flush()
        }
    }
}
