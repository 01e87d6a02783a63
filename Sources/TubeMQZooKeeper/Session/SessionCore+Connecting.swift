import Logging
import NIOCore
import NIOPosix

/// Connecting: trying the members in turn, the handshake, backoff between passes.
extension SessionCore {
    /// Starts connecting; the future succeeds on the first handshake.
    func start() -> EventLoopFuture<Void> {
        eventLoop.preconditionInEventLoop()
        let promise = eventLoop.makePromise(of: Void.self)
        connectPromise = promise
        tryNextAddress()
        return promise.futureResult
    }

    var connectTimeout: TimeAmount {
        if let configured = configuration.connectTimeout { return TimeAmount(configured) }
        let share = sessionTimeout.nanoseconds / Int64(connectString.addresses.count)
        return .nanoseconds(max(share, TimeAmount.milliseconds(250).nanoseconds))
    }

    func tryNextAddress() {
        attemptCounter += 1
        let attemptID = attemptCounter
        let address = connectString.addresses[nextAddressIndex]
        attemptAddress = address
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
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
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

    func tcpConnected(attemptID: Int, channel: any Channel) {
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

    func attemptFailed(attemptID: Int, reason: String, closedByPeer: Bool = false) {
        guard case .connecting(attemptID, let channel, let timer) = phase else { return }
        timer.cancel()
        // Closed on the way out, once the phase has moved on: closing can report the connection's end
        // at once (`connectionClosed`), which would come back here for this same attempt, count it
        // twice and could put an expired session back to reconnecting.
        defer { channel?.close(promise: nil) }
        // The member closed the connection without answering the handshake: it refused the session
        // (ZooKeeper does so to a client that has seen a later zxid than its own).
        if channel != nil, closedByPeer {
            refusedThisPass = true
            lastRefusingAddress = attemptAddress
        }
        logger.debug("connection attempt failed", metadata: ["zk.attempt": "\(attemptID)", "zk.reason": "\(reason)"])
        if attemptsThisPass < connectString.addresses.count {
            tryNextAddress()
            return
        }
        attemptsThisPass = 0
        failedPasses += 1
        let refused = refusedThisPass
        refusedThisPass = false
        failQueued(ZooKeeperError(.connectionLoss, "no member of \(connectString) answered"))
        let now = NIODeadline.now()
        if refused {
            if refusingSince == nil { refusingSince = now }
        } else {
            refusingSince = nil
            refusalConfirmed = false
        }
        let refusedTooLong =
            hasConnected && refusingSince.map { now - $0 > sessionTimeout } == true
            && now - lastReceived > sessionTimeout
        if refusedTooLong, !refusalConfirmed, let address = lastRefusingAddress {
            // A member still starting closes connections as one that refuses the session does: ask it
            // for a new session first (SessionCore+Probe.swift).
            probeServing(address)
        }
        if refusedTooLong, refusalConfirmed {
            // Every member has refused to resume the session for longer than its timeout, and one of
            // them opens new sessions: ZooKeeper started again without its data refuses our last zxid
            // for ever. End the session, so its owner opens a new one. Members that are down, silent or
            // not serving yet are waited for: a ZooKeeper restarted with its data takes sessions back
            // even after a long outage.
            logger.warning(
                "ZooKeeper did not take the session back within its timeout; it is expired",
                metadata: [
                    "zk.timeout": "\(sessionTimeout)",
                    "zk.reason": "every member refused it, and one serves new sessions (its data may be gone)",
                ]
            )
            expire(ZooKeeperError(.sessionExpired, "session \(credentials) expired: no member took it back"))
            return
        }
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
            // At info on the first failed pass and then every 30 s; the passes between at debug.
            let loud = failedPasses == 1 || now - lastRetryLogged >= .seconds(30)
            if loud { lastRetryLogged = now }
            logger.log(
                level: loud ? .info : .debug,
                refused ? "ZooKeeper refused to resume the session; retrying" : "no server reachable; retrying",
                metadata: ["zk.backoff": "\(TimeAmount.nanoseconds(backoff))", "zk.passes": "\(failedPasses)"]
            )
        }
        let core = bound
        phase = .backingOff(eventLoop.scheduleTask(in: .nanoseconds(backoff)) { core.value.backoffEnded() })
    }

    func backoffEnded() {
        guard case .backingOff = phase else { return }
        tryNextAddress()
    }
}
