import Logging
import NIOCore

/// Inbound frames: the handshake answer, replies matched to the oldest request, notifications, and the
/// end of a connection.
extension SessionCore {
    /// A frame arrived on the connection of `attemptID`.
    func frameReceived(_ frame: ByteBuffer, attemptID: Int) {
        lastReceived = .now()
        snapshot.lastReceived.store(lastReceived.uptimeNanoseconds, ordering: .relaxed)
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

    func handshakeAnswered(_ frame: ByteBuffer, attemptID: Int, channel: any Channel) {
        var frame = frame
        let response: ConnectResponse
        do {
            response = try ConnectResponse(from: &frame)
        } catch {
            attemptFailed(attemptID: attemptID, reason: "undecodable ConnectResponse")
            return
        }
        if response.isExpired {
            logger.warning("session expired", metadata: ["zk.session": "\(credentials)"])
            // Expired first, closed after: closing can report the end at once, and the session must
            // not be sent reconnecting by it.
            expire(ZooKeeperError(.sessionExpired, "session \(credentials) expired"))
            channel.close(promise: nil)
            return
        }
        sessionID = response.sessionID
        password = response.password
        negotiatedTimeoutMilliseconds = response.timeoutMilliseconds
        phase = .connected(attemptID: attemptID, channel: channel)
        attemptsThisPass = 0
        failedPasses = 0
        refusingSince = nil
        refusalConfirmed = false
        hasConnected = true
        lastSent = .now()
        startTicker()
        logger[metadataKey: "zk.session"] = "\(credentials)"
        logger.info(
            "session connected",
            metadata: [
                "zk.server": "\(channel.remoteAddress.map { "\($0)" } ?? "?")", "zk.timeout": "\(sessionTimeout)",
            ]
        )
        snapshot.update {
            $0.credentials = credentials
            $0.negotiatedTimeoutMilliseconds = negotiatedTimeoutMilliseconds
        }
        // Identities first: the server applies them to every request that follows on this connection.
        for authentication in configuration.authentications {
            var body = ByteBuffer()
            body.writeJuteInt(0)
            body.writeJuteString(authentication.scheme)
            body.writeJuteBuffer(authentication.credential)
            channel.write(RequestFrame.encode(xid: SpecialXid.auth, opCode: .auth, body: body), promise: nil)
        }
        if !watches.isEmpty {
            let body = RequestFrame.setWatches(
                relativeZxid: lastZxidSeen,
                data: watches.data.keys.sorted(),
                exist: watches.exist.keys.sorted(),
                child: watches.child.keys.sorted()
            )
            channel.write(
                RequestFrame.encode(xid: SpecialXid.setWatches, opCode: .setWatches, body: body),
                promise: nil
            )
        }
        let waiting = queued
        queued = []
        for request in waiting {
            write(
                request.opCode,
                request.body,
                promise: request.promise,
                watch: request.watch,
                to: channel,
                flush: false
            )
        }
        channel.flush()
        publish(.connected)
        connectPromise?.succeed()
        connectPromise = nil
    }

    func replyReceived(_ frame: ByteBuffer, channel: any Channel) {
        var frame = frame
        guard let header = try? ReplyHeader(from: &frame) else {
            dropConnection(channel, reason: "undecodable reply header")
            return
        }
        if header.zxid > lastZxidSeen { lastZxidSeen = header.zxid }
        switch header.xid {
        case SpecialXid.ping:
            return
        case SpecialXid.auth:
            if header.err != 0 {
                // The server closes the connection after a refused identity; retrying would only
                // repeat it: the session ends.
                logger.error("ZooKeeper refused the client's authentication", metadata: ["zk.error": "\(header.err)"])
                let error = ZooKeeperError(.authFailed, "ZooKeeper refused the client's authentication")
                phase = .expired
                endSession(.expired, error: error)
                channel.close(promise: nil)
            }
            return
        case SpecialXid.setWatches:
            if header.err != 0 {
                logger.warning(
                    "setWatches failed",
                    metadata: ["zk.error": "\(ZooKeeperError.Code(rawValue: header.err))"]
                )
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
            attemptFailed(attemptID: attemptID, reason: reason, closedByPeer: true)
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

    func dropConnection(_ channel: any Channel, reason: String) {
        logger.warning("dropping connection", metadata: ["zk.reason": "\(reason)"])
        channel.close(promise: nil)
    }
}
