import NIOCore
import NIOPosix

/// Telling a member that refuses the session from one that is not serving yet.
///
/// Both close the connection without answering the handshake: a member started again without its data
/// refuses a client that has seen a later zxid, for ever; a member still starting (loading its data, or
/// a slow JVM on a loaded machine) closes every connection until it serves. The session may end only in
/// the first case, so before it does, the core asks a refusing member for a new session: a member that
/// opens one is serving, and refused ours for what it knows. The new session is closed at once.
extension SessionCore {
    /// Starts a probe of `address` unless one is running; ``probeFinished(serving:)`` gets its result.
    func probeServing(_ address: ConnectString.Address) {
        guard !probing else { return }
        probing = true
        let core = bound
        let timeout = connectTimeout
        let loop = eventLoop
        let finished = NIOLoopBound(ProbeResult(), eventLoop: loop)
        let timer = loop.scheduleTask(in: timeout) { finished.value.report(false, to: core) }
        ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(FrameDecoder(maximumLength: 4_096)),
                        ServingProbeHandler { serving in
                            // Reported before the timer is cancelled: cancelling closes the connection,
                            // whose end would otherwise be reported first, as "not serving".
                            finished.value.report(serving, to: core)
                            timer.cancel()
                        }
                    )
                }
            }
            .connect(host: address.host, port: address.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    let request = ConnectRequest(
                        lastZxidSeen: 0,
                        timeoutMilliseconds: 1_000,
                        sessionID: 0,
                        password: [UInt8](repeating: 0, count: 16)
                    )
                    channel.writeAndFlush(request.encodedFrame(), promise: nil)
                    // The connection ends with the answer, or with the timer.
                    timer.futureResult.whenComplete { _ in channel.close(promise: nil) }
                case .failure:
                    timer.cancel()
                    finished.value.report(false, to: core)
                }
            }
    }

    /// A probe ended: `serving` when the member opened a new session.
    func probeFinished(serving: Bool) {
        probing = false
        guard refusingSince != nil else { return }
        if serving { refusalConfirmed = true }
        logger.debug("probed a member that refused the session", metadata: ["zk.serving": "\(serving)"])
    }
}

/// Reports a probe's result once: the answer, the connection's end or the timer, whichever comes first.
private final class ProbeResult {
    private var reported = false

    func report(_ serving: Bool, to core: NIOLoopBound<SessionCore>) {
        guard !reported else { return }
        reported = true
        core.value.probeFinished(serving: serving)
    }
}

/// Reads the answer to a probe's handshake, closes the new session it opened, and reports.
private final class ServingProbeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let report: (Bool) -> Void

    init(report: @escaping (Bool) -> Void) { self.report = report }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        let response = try? ConnectResponse(from: &frame)
        let serving = response.map { !$0.isExpired && $0.sessionID != 0 } ?? false
        if serving {
            let close = RequestFrame.encode(xid: 1, opCode: .closeSession, body: ByteBuffer())
            context.writeAndFlush(NIOAny(close), promise: nil)
        }
        report(serving)
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        report(false)
        context.fireChannelInactive()
    }
}
