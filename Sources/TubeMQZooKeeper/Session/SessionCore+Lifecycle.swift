import Logging
import NIOCore

/// Closing, the end of the session, and the session-state event streams.
extension SessionCore {
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

    func finishClose() {
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
    /// Ends the session as expired with `error`: a start still waiting fails with it, and so does
    /// every call from now on.
    func expire(_ error: ZooKeeperError) {
        phase = .expired
        connectPromise?.fail(error)
        connectPromise = nil
        endSession(.expired, error: error)
    }

    func endSession(_ final: SessionState, error: ZooKeeperError) {
        stopTicker()
        failPending(error)
        failQueued(error)
        for promise in watches.removeAll() { promise.fail(error) }
        publish(final)
    }

    func failPending(_ error: ZooKeeperError) {
        while let request = pending.popFirst() {
            request.promise.fail(error)
            request.watch?.promise.fail(error)
        }
    }

    func failQueued(_ error: ZooKeeperError) {
        let waiting = queued
        queued = []
        for request in waiting {
            request.promise.fail(error)
            request.watch?.promise.fail(error)
        }
    }

    // MARK: session state events

    var credentials: SessionCredentials { SessionCredentials(id: sessionID, password: password) }

    func publish(_ newState: SessionState) {
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
