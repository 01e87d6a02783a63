import Logging
import NIOCore
import NIOPosix

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
    private var attemptCounter = 0
    private var nextAddressIndex = 0
    private var attemptsThisPass = 0
    private var failedPasses = 0
    private var hasConnected = false
    private var connectPromise: EventLoopPromise<Void>?
    private var closePromises: [EventLoopPromise<Void>] = []

    private(set) var sessionID: Int64
    private var password: [UInt8]
    private var negotiatedTimeoutMilliseconds: Int32
    private(set) var lastZxidSeen: Int64 = 0
    private var nextXid: Int32 = 1
    private var pending = CircularBuffer<Pending>()
    private var queued: [Queued] = []
    private var watches = WatchRegistry()
    private var state: SessionState?
    private var subscribers: [Int: AsyncStream<SessionState>.Continuation] = [:]
    private var nextSubscriberID = 0
    private var lastSent = NIODeadline.now()
    private var lastReceived = NIODeadline.now()
    private var ticker: RepeatedTask?

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

    private var bound: NIOLoopBound<SessionCore> { NIOLoopBound(self, eventLoop: eventLoop) }

    /// The negotiated session timeout (the requested one before the first handshake).
    private var sessionTimeout: TimeAmount { .milliseconds(Int64(negotiatedTimeoutMilliseconds)) }

    // MARK: starting and connecting

    /// Starts connecting; the future succeeds on the first handshake.
    func start() -> EventLoopFuture<Void> {
        eventLoop.preconditionInEventLoop()
        let promise = eventLoop.makePromise(of: Void.self)
        connectPromise = promise
        tryNextAddress()
        return promise.futureResult
    }

    private var connectTimeout: TimeAmount {
        if let configured = configuration.connectTimeout { return TimeAmount(configured) }
        let share = sessionTimeout.nanoseconds / Int64(connectString.addresses.count)
        return .nanoseconds(max(share, TimeAmount.milliseconds(250).nanoseconds))
    }

    private func tryNextAddress() {
        attemptCounter += 1
        let attemptID = attemptCounter
        let address = connectString.addresses[nextAddressIndex]
        nextAddressIndex = (nextAddressIndex + 1) % connectString.addresses.count
        attemptsThisPass += 1
        let timeout = connectTimeout
        let core = bound
        let timer = eventLoop.scheduleTask(in: timeout) {
            core.value.attemptFailed(attemptID: attemptID, reason: "no handshake within \(timeout)")
        }
        phase = .connecting(attemptID: attemptID, channel: nil, timer: timer)
        logger.debug("connecting", metadata: ["zk.server": "\(address)", "zk.attempt": "\(attemptID)"])
        let maximumFrameLength = configuration.maximumFrameLength
        ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(FrameDecoder(maximumLength: maximumFrameLength)),
                        ConnectionHandler(core: core, attemptID: attemptID)
                    )
                }
            }
            .connect(host: address.host, port: address.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    core.value.tcpConnected(attemptID: attemptID, channel: channel)
                case .failure(let error):
                    core.value.attemptFailed(attemptID: attemptID, reason: "\(error)")
                }
            }
    }

    private func tcpConnected(attemptID: Int, channel: any Channel) {
        guard case .connecting(attemptID, nil, let timer) = phase else {
            channel.close(promise: nil)
            return
        }
        phase = .connecting(attemptID: attemptID, channel: channel, timer: timer)
        let request = ConnectRequest(
            lastZxidSeen: lastZxidSeen,
            timeoutMilliseconds: requestedTimeoutMilliseconds,
            sessionID: sessionID,
            password: password
        )
        channel.writeAndFlush(request.encodedFrame(), promise: nil)
    }

    fileprivate func attemptFailed(attemptID: Int, reason: String) {
        guard case .connecting(attemptID, let channel, let timer) = phase else { return }
        timer.cancel()
        channel?.close(promise: nil)
        logger.debug("connection attempt failed", metadata: ["zk.attempt": "\(attemptID)", "zk.reason": "\(reason)"])
        if attemptsThisPass < connectString.addresses.count {
            tryNextAddress()
            return
        }
        attemptsThisPass = 0
        failedPasses += 1
        failQueued(ZooKeeperError(.connectionLoss, "no member of \(connectString) answered"))
        if !hasConnected && failedPasses >= max(configuration.connectAttempts, 1) {
            let error = ZooKeeperError(
                .noServerReachable,
                "no member of \(connectString) answered after \(failedPasses) attempt(s); last: \(reason)"
            )
            phase = .closed
            connectPromise?.fail(error)
            connectPromise = nil
            endSession(.closed, error: error)
            return
        }
        let shift = min(failedPasses - 1, 20)
        let backoff = min(
            TimeAmount(configuration.initialBackoff).nanoseconds << shift,
            TimeAmount(configuration.maximumBackoff).nanoseconds
        )
        if hasConnected {
            logger.info("no server reachable; retrying", metadata: ["zk.backoff": "\(TimeAmount.nanoseconds(backoff))"])
        }
        let core = bound
        phase = .backingOff(eventLoop.scheduleTask(in: .nanoseconds(backoff)) { core.value.backoffEnded() })
    }

    private func backoffEnded() {
        guard case .backingOff = phase else { return }
        tryNextAddress()
    }

    // MARK: inbound

    /// A frame arrived on the connection of `attemptID`.
    func frameReceived(_ frame: ByteBuffer, attemptID: Int) {
        lastReceived = .now()
        switch phase {
        case .connecting(attemptID, .some(let channel), let timer):
            timer.cancel()
            handshakeAnswered(frame, attemptID: attemptID, channel: channel)
        case .connected(attemptID, let channel), .closing(attemptID, let channel, _):
            replyReceived(frame, channel: channel)
        default:
            break
        }
    }

    private func handshakeAnswered(_ frame: ByteBuffer, attemptID: Int, channel: any Channel) {
        var frame = frame
        let response: ConnectResponse
        do {
            response = try ConnectResponse(from: &frame)
        } catch {
            attemptFailed(attemptID: attemptID, reason: "undecodable ConnectResponse")
            return
        }
        if response.isExpired {
            channel.close(promise: nil)
            logger.warning("session expired", metadata: ["zk.session": "\(credentials)"])
            let error = ZooKeeperError(.sessionExpired, "session \(credentials) expired")
            phase = .expired
            connectPromise?.fail(error)
            connectPromise = nil
            endSession(.expired, error: error)
            return
        }
        sessionID = response.sessionID
        password = response.password
        negotiatedTimeoutMilliseconds = response.timeoutMilliseconds
        phase = .connected(attemptID: attemptID, channel: channel)
        attemptsThisPass = 0
        failedPasses = 0
        hasConnected = true
        lastSent = .now()
        startTicker()
        logger[metadataKey: "zk.session"] = "\(credentials)"
        logger.info(
            "session connected",
            metadata: ["zk.server": "\(channel.remoteAddress.map { "\($0)" } ?? "?")", "zk.timeout": "\(sessionTimeout)"]
        )
        snapshot.update {
            $0.credentials = credentials
            $0.negotiatedTimeoutMilliseconds = negotiatedTimeoutMilliseconds
        }
        if !watches.isEmpty {
            let body = RequestFrame.setWatches(
                relativeZxid: lastZxidSeen,
                data: watches.data.keys.sorted(),
                exist: watches.exist.keys.sorted(),
                child: watches.child.keys.sorted()
            )
            channel.write(RequestFrame.encode(xid: SpecialXid.setWatches, opCode: .setWatches, body: body), promise: nil)
        }
        let waiting = queued
        queued = []
        for request in waiting {
            write(request.opCode, request.body, promise: request.promise, watch: request.watch, to: channel, flush: false)
        }
        channel.flush()
        publish(.connected)
        connectPromise?.succeed()
        connectPromise = nil
    }

    private func replyReceived(_ frame: ByteBuffer, channel: any Channel) {
        var frame = frame
        guard let header = try? ReplyHeader(from: &frame) else {
            dropConnection(channel, reason: "undecodable reply header")
            return
        }
        if header.zxid > lastZxidSeen { lastZxidSeen = header.zxid }
        switch header.xid {
        case SpecialXid.ping, SpecialXid.auth:
            return
        case SpecialXid.setWatches:
            if header.err != 0 {
                logger.warning("setWatches failed", metadata: ["zk.error": "\(ZooKeeperError.Code(rawValue: header.err))"])
            }
            return
        case SpecialXid.notification:
            guard let event = try? WatcherEvent(from: &frame) else {
                dropConnection(channel, reason: "undecodable watch notification")
                return
            }
            let kind = WatchedEvent.Kind(rawValue: event.type)
            let delivered = WatchedEvent(kind: kind, path: connectString.clientPath(event.path))
            for promise in watches.trigger(kind, path: event.path) { promise.succeed(delivered) }
            return
        default:
            break
        }
        guard let request = pending.first, request.xid == header.xid else {
            dropConnection(channel, reason: "reply xid \(header.xid) does not match the oldest request")
            return
        }
        pending.removeFirst()
        if let watch = request.watch, !watches.arm(watch, err: header.err) {
            watch.promise.fail(ZooKeeperError(ZooKeeperError.Code(rawValue: header.err), "watch not set"))
        }
        if header.err != 0 {
            request.promise.fail(ZooKeeperError(ZooKeeperError.Code(rawValue: header.err), "\(request.opCode) failed"))
        } else {
            request.promise.succeed(frame)
        }
        if request.opCode == .closeSession, case .closing = phase { finishClose() }
    }

    /// The connection of `attemptID` ended (EOF, reset, or closed by us after an error).
    func connectionClosed(attemptID: Int, error: (any Error)?) {
        let reason = error.map { "\($0)" } ?? "connection closed"
        switch phase {
        case .connecting(attemptID, _, _):
            attemptFailed(attemptID: attemptID, reason: reason)
        case .connected(attemptID, _):
            stopTicker()
            logger.warning("disconnected", metadata: ["zk.reason": "\(reason)"])
            failPending(ZooKeeperError(.connectionLoss, "connection lost: \(reason)"))
            publish(.disconnected)
            attemptsThisPass = 0
            tryNextAddress()
        case .closing(attemptID, _, _):
            finishClose()
        default:
            break
        }
    }

    private func dropConnection(_ channel: any Channel, reason: String) {
        logger.warning("dropping connection", metadata: ["zk.reason": "\(reason)"])
        channel.close(promise: nil)
    }

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

    private func write(
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

    private func startTicker() {
        ticker?.cancel()
        let timeout = sessionTimeout
        let interval = TimeAmount.nanoseconds(max(timeout.nanoseconds / 10, TimeAmount.milliseconds(20).nanoseconds))
        let core = bound
        ticker = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in core.value.tick() }
    }

    private func stopTicker() {
        ticker?.cancel()
        ticker = nil
    }

    /// Drops a silent connection after 2/3 of the timeout; pings an idle one after 1/3 (at most 10 s).
    private func tick() {
        let channel: any Channel
        switch phase {
        case .connected(_, let current), .closing(_, let current, _): channel = current
        default: return
        }
        let now = NIODeadline.now()
        let readTimeout = TimeAmount.nanoseconds(sessionTimeout.nanoseconds * 2 / 3)
        let pingInterval = TimeAmount.nanoseconds(min(sessionTimeout.nanoseconds / 3, TimeAmount.seconds(10).nanoseconds))
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

    // MARK: closing and the end of the session

    /// Sends closeSession (when connected) and ends the session; the promise succeeds when done.
    func close(promise: EventLoopPromise<Void>?) {
        switch phase {
        case .connected(let attemptID, let channel):
            if let promise { closePromises.append(promise) }
            let core = bound
            let timer = eventLoop.scheduleTask(in: TimeAmount(configuration.closeTimeout)) { core.value.finishClose() }
            phase = .closing(attemptID: attemptID, channel: channel, timer: timer)
            write(.closeSession, ByteBuffer(), promise: eventLoop.makePromise(), watch: nil, to: channel, flush: true)
        case .closing:
            if let promise { closePromises.append(promise) }
        case .idle, .connecting, .backingOff:
            if let promise { closePromises.append(promise) }
            finishClose()
        case .expired:
            phase = .closed
            promise?.succeed()
        case .closed:
            promise?.succeed()
        }
    }

    private func finishClose() {
        switch phase {
        case .connecting(_, let channel, let timer):
            timer.cancel()
            channel?.close(promise: nil)
        case .backingOff(let timer):
            timer.cancel()
        case .connected(_, let channel):
            channel.close(promise: nil)
        case .closing(_, let channel, let timer):
            timer.cancel()
            channel.close(promise: nil)
        case .idle, .expired, .closed:
            break
        }
        let wasClosed: Bool
        if case .closed = phase { wasClosed = true } else { wasClosed = false }
        phase = .closed
        if !wasClosed {
            logger.info("session closed")
            let error = ZooKeeperError(.closed, "client closed")
            connectPromise?.fail(error)
            connectPromise = nil
            endSession(.closed, error: error)
        }
        let promises = closePromises
        closePromises = []
        for promise in promises { promise.succeed() }
    }

    /// Fails everything outstanding, announces the final state and ends the event streams.
    private func endSession(_ final: SessionState, error: ZooKeeperError) {
        stopTicker()
        failPending(error)
        failQueued(error)
        for promise in watches.removeAll() { promise.fail(error) }
        publish(final)
    }

    private func failPending(_ error: ZooKeeperError) {
        while let request = pending.popFirst() {
            request.promise.fail(error)
            request.watch?.promise.fail(error)
        }
    }

    private func failQueued(_ error: ZooKeeperError) {
        let waiting = queued
        queued = []
        for request in waiting {
            request.promise.fail(error)
            request.watch?.promise.fail(error)
        }
    }

    // MARK: session state events

    var credentials: SessionCredentials { SessionCredentials(id: sessionID, password: password) }

    private func publish(_ newState: SessionState) {
        guard state != newState, state?.isFinal != true else { return }
        state = newState
        snapshot.update { $0.state = newState }
        for continuation in subscribers.values { continuation.yield(newState) }
        if newState.isFinal {
            let ended = subscribers
            subscribers = [:]
            for continuation in ended.values { continuation.finish() }
        }
    }

    /// Adds a subscriber; it gets the current state first (if any), then every change.
    func subscribe(_ continuation: AsyncStream<SessionState>.Continuation) {
        if let state { continuation.yield(state) }
        if state?.isFinal == true {
            continuation.finish()
            return
        }
        let id = nextSubscriberID
        nextSubscriberID += 1
        subscribers[id] = continuation
        let core = bound
        let loop = eventLoop
        continuation.onTermination = { _ in
            loop.execute { core.value.subscribers[id] = nil }
        }
    }
}
