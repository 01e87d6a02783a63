import Logging
import NIOCore

/// The session state machine: one ZooKeeper session over a sequence of connections.
///
/// Confined to one event loop: every method runs there, and every connection of the session is
/// opened on that loop, so channel callbacks reach the core without a hop. The public
/// ``ZooKeeperClient`` submits work with `eventLoop.execute`. Connection callbacks carry the id of the
/// attempt that opened the connection; callbacks of older attempts are ignored.
final class SessionCore {
    /// Where the session is.
    enum Phase {
        /// Created, not started.
        case idle
        /// Opening a TCP connection (`channel` nil) or waiting for the handshake answer.
        case connecting(attemptID: Int, channel: (any Channel)?, timer: Scheduled<Void>)
        /// Every member failed in this pass: waiting before the next pass.
        case backingOff(Scheduled<Void>)
        /// Handshake done: requests flow.
        case connected(attemptID: Int, channel: any Channel)
        /// closeSession sent: waiting for its reply or the connection's end.
        case closing(attemptID: Int, channel: any Channel, timer: Scheduled<Void>)
        /// The ensemble refused the session. Final.
        case expired
        /// Closed by the application, or the first connection never succeeded. Final.
        case closed
    }

    /// A request written to the current connection, waiting for its reply.
    struct Pending {
        var xid: Int32
        var opCode: OpCode
        var promise: EventLoopPromise<ByteBuffer>
        var watch: WatchRequest?
    }

    /// A request submitted while no connection was up.
    struct Queued {
        var opCode: OpCode
        var body: ByteBuffer
        var promise: EventLoopPromise<ByteBuffer>
        var watch: WatchRequest?
    }

    let eventLoop: any EventLoop
    let connectString: ConnectString
    let configuration: ZooKeeperClient.Configuration
    let requestedTimeoutMilliseconds: Int32
    let snapshot: SessionSnapshot
    var logger: Logger

    var phase: Phase = .idle
    var attemptCounter = 0
    var nextAddressIndex = 0
    var attemptsThisPass = 0
    var failedPasses = 0
    /// Whether a member of the current pass accepted the connection and then closed it unanswered.
    var refusedThisPass = false
    /// Since when every pass has been refused (members closing the connection unanswered), if so.
    var refusingSince: NIODeadline?
    /// The member whose refusal was seen last, the one a probe asks.
    var lastRefusingAddress: ConnectString.Address?
    /// Whether a probe is running (``probeServing(_:)``).
    var probing = false
    /// Whether a probe found a refusing member serving: it refused the session for what it knows.
    var refusalConfirmed = false
    /// The member the current attempt connects to.
    var attemptAddress: ConnectString.Address?
    /// When a failed pass was last logged at info.
    var lastRetryLogged = NIODeadline.distantPast
    var hasConnected = false
    var connectPromise: EventLoopPromise<Void>?
    var closePromises: [EventLoopPromise<Void>] = []

    var sessionID: Int64
    var password: [UInt8]
    var negotiatedTimeoutMilliseconds: Int32
    var lastZxidSeen: Int64 = 0
    var nextXid: Int32 = 1
    var pending = CircularBuffer<Pending>()
    var queued: [Queued] = []
    var watches = WatchRegistry()
    var state: SessionState?
    var subscribers: [Int: AsyncStream<SessionState>.Continuation] = [:]
    var nextSubscriberID = 0
    var lastSent = NIODeadline.now()
    var lastReceived = NIODeadline.now()
    var ticker: RepeatedTask?

    init(
        eventLoop: any EventLoop,
        connectString: ConnectString,
        sessionTimeout: Duration,
        configuration: ZooKeeperClient.Configuration,
        resuming credentials: SessionCredentials?,
        snapshot: SessionSnapshot,
        logger: Logger
    ) {
        self.eventLoop = eventLoop
        self.connectString = connectString
        self.configuration = configuration
        self.requestedTimeoutMilliseconds = sessionTimeout.wholeMilliseconds
        self.negotiatedTimeoutMilliseconds = requestedTimeoutMilliseconds
        self.snapshot = snapshot
        self.sessionID = credentials?.id ?? 0
        self.password = credentials?.password ?? [UInt8](repeating: 0, count: 16)
        self.logger = logger
        // Until the first handshake succeeds (new or resumed session), retries are bounded by connectAttempts.
        self.hasConnected = false
    }

    var bound: NIOLoopBound<SessionCore> { NIOLoopBound(self, eventLoop: eventLoop) }

    /// The negotiated session timeout (the requested one before the first handshake).
    var sessionTimeout: TimeAmount { .milliseconds(Int64(negotiatedTimeoutMilliseconds)) }

    // MARK: outbound

    /// Sends a request now, queues it until the connection is up, or fails it if the session is over.
    func submit(_ opCode: OpCode, _ body: ByteBuffer, promise: EventLoopPromise<ByteBuffer>, watch: WatchRequest?) {
        switch phase {
        case .connected(_, let channel):
            write(opCode, body, promise: promise, watch: watch, to: channel, flush: true)
        case .idle, .connecting, .backingOff:
            queued.append(Queued(opCode: opCode, body: body, promise: promise, watch: watch))
        case .expired:
            let error = ZooKeeperError(.sessionExpired, "session \(credentials) expired")
            promise.fail(error)
            watch?.promise.fail(error)
        case .closing, .closed:
            let error = ZooKeeperError(.closed, "client closed")
            promise.fail(error)
            watch?.promise.fail(error)
        }
    }

    func write(
        _ opCode: OpCode,
        _ body: ByteBuffer,
        promise: EventLoopPromise<ByteBuffer>,
        watch: WatchRequest?,
        to channel: any Channel,
        flush: Bool
    ) {
        let xid = nextXid
        nextXid = nextXid == .max ? 1 : nextXid + 1
        pending.append(Pending(xid: xid, opCode: opCode, promise: promise, watch: watch))
        let frame = RequestFrame.encode(xid: xid, opCode: opCode, body: body)
        if flush { channel.writeAndFlush(frame, promise: nil) } else { channel.write(frame, promise: nil) }
        lastSent = .now()
    }

    // MARK: timers

    func startTicker() {
        ticker?.cancel()
        let timeout = sessionTimeout
        let interval = TimeAmount.nanoseconds(max(timeout.nanoseconds / 10, TimeAmount.milliseconds(20).nanoseconds))
        let core = bound
        ticker = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in core.value.tick() }
    }

    func stopTicker() {
        ticker?.cancel()
        ticker = nil
    }

    /// Drops a silent connection after 2/3 of the timeout; pings an idle one after 1/3 (at most 10 s).
    func tick() {
        let channel: any Channel
        switch phase {
        case .connected(_, let current), .closing(_, let current, _): channel = current
        default: return
        }
        let now = NIODeadline.now()
        let readTimeout = TimeAmount.nanoseconds(sessionTimeout.nanoseconds * 2 / 3)
        let pingInterval = TimeAmount.nanoseconds(
            min(sessionTimeout.nanoseconds / 3, TimeAmount.seconds(10).nanoseconds)
        )
        if now - lastReceived > readTimeout {
            dropConnection(channel, reason: "nothing received for \(now - lastReceived)")
        } else if now - lastSent >= pingInterval {
            var frame = ByteBuffer()
            frame.writeInteger(8 as Int32)
            frame.writeJuteInt(SpecialXid.ping)
            frame.writeJuteInt(OpCode.ping.rawValue)
            channel.writeAndFlush(frame, promise: nil)
            lastSent = now
        }
    }
}
