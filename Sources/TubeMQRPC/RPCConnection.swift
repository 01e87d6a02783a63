import NIOCore
import Synchronization
import TubeMQWire

/// One client connection: numbers its calls, queues their frames for the event loop, and resumes each
/// caller exactly once, with its reply, its timeout, or the loss of the connection.
///
/// A call appends its frame to an outbound buffer under the lock; only the call that finds no write
/// scheduled asks the event loop (one `execute`) to write everything queued by then with one flush.
/// Replies resume the waiting task directly from the event loop. One timer watches every deadline
/// (see ``PendingCalls``). A call in flight is not abandoned when its task is cancelled: it ends with its
/// reply, its timeout or the connection's loss, so its reply is never mistaken for another call's.
final class RPCConnection: Sendable {
    typealias Outcome = Result<ResponseEnvelope, RPCError>
    #if DEBUG
    // Debug builds (the tests) check that every call is resumed exactly once.
    typealias Waiter = CheckedContinuation<Outcome, Never>
    #else
    typealias Waiter = UnsafeContinuation<Outcome, Never>
    #endif

    /// The channel the calls travel on.
    let channel: any Channel
    /// `host:port`, for error texts.
    let address: String
    private let closed = Atomic<Bool>(false)
    private let state: Mutex<State>

    private struct State: Sendable {
        var nextSerial: UInt32 = 1
        var outbound = ByteBuffer()
        var writeScheduled = false
        var pending = PendingCalls<Waiter>()
        /// Set once the connection is gone: later calls fail at once with it.
        var failure: RPCError?
    }

    init(channel: any Channel, address: String) {
        self.channel = channel
        self.address = address
        self.state = Mutex(State())
    }

    /// Whether the connection still takes calls.
    var isOpen: Bool { !closed.load(ordering: .relaxed) }

    /// Sends `envelope` and waits for its reply, at most `timeout`.
    nonisolated(nonsending) func call(_ envelope: RequestEnvelope, timeout: TimeAmount) async -> Outcome {
        #if DEBUG
        await withCheckedContinuation { waiter in enqueue(envelope, timeout: timeout, waiter: waiter) }
        #else
        await withUnsafeContinuation { waiter in enqueue(envelope, timeout: timeout, waiter: waiter) }
        #endif
    }

    private enum Admission {
        case queued(scheduleWrite: Bool, armTimer: NIODeadline?)
        case refused(RPCError)
    }

    private func enqueue(_ envelope: RequestEnvelope, timeout: TimeAmount, waiter: Waiter) {
        let deadline = NIODeadline.now() + timeout
        let admission = state.withLock { state -> Admission in
            if let failure = state.failure { return .refused(failure) }
            let serial = state.nextSerial
            do {
                try envelope.writeFrame(serialNumber: serial, into: &state.outbound)
            } catch {
                return .refused(RPCError(.badRequest, "cannot send to \(address)", underlying: error))
            }
            state.nextSerial &+= 1
            let armTimer = state.pending.insert(waiter, serial: serial, deadline: deadline, timeout: timeout)
            let scheduleWrite = !state.writeScheduled
            state.writeScheduled = true
            return .queued(scheduleWrite: scheduleWrite, armTimer: armTimer)
        }
        switch admission {
        case .refused(let error):
            waiter.resume(returning: .failure(error))
        case .queued(let scheduleWrite, let armTimer):
            if scheduleWrite { channel.eventLoop.execute { self.writeQueued() } }
            if let armTimer { arm(armTimer) }
        }
    }

    /// On the event loop: writes every queued frame and flushes once.
    private func writeQueued() {
        let buffer = state.withLock { state -> ByteBuffer? in
            state.writeScheduled = false
            guard state.failure == nil, state.outbound.readableBytes > 0 else { return nil }
            let queued = state.outbound
            state.outbound = ByteBufferAllocator().buffer(capacity: max(1024, queued.readableBytes))
            return queued
        }
        if let buffer { channel.writeAndFlush(buffer, promise: nil) }
    }

    private func arm(_ deadline: NIODeadline) {
        channel.eventLoop.scheduleTask(deadline: deadline) { self.timerFired(armedFor: deadline) }
    }

    private func timerFired(armedFor deadline: NIODeadline) {
        let (expired, rearm) = state.withLock { state in
            state.pending.expire(timerArmedFor: deadline, now: .now())
        }
        for entry in expired {
            entry.waiter.resume(
                returning: .failure(RPCError(.timeout, "no reply from \(address) within \(entry.timeout)"))
            )
        }
        if let rearm { arm(rearm) }
    }

    /// On the event loop: completes the calls `frames` answer (a reply to no waiting call is dropped),
    /// taking the lock once for all of them.
    func complete(_ frames: [Frame]) {
        let entries = state.withLock { state in frames.map { state.pending.remove(serial: $0.serialNumber) } }
        for (entry, frame) in zip(entries, frames) {
            guard let entry else { continue }
            entry.waiter.resume(returning: outcome(of: frame))
        }
    }

    private func outcome(of frame: Frame) -> Outcome {
        if let envelope = ResponseEnvelope.wellFormedSuccess(frame.payload) { return .success(envelope) }
        do {
            return .success(try ResponseEnvelope(decoding: frame.payload))
        } catch {
            return .failure(RPCError(.badResponse, "undecodable reply from \(address)", underlying: error))
        }
    }

    /// Fails every waiting call and every later one with `error` (the connection is gone). The waiting
    /// calls' requests may have reached the server (``RPCError/requestSent``); later ones never leave.
    func fail(_ error: RPCError) {
        closed.store(true, ordering: .relaxed)
        let entries = state.withLock { state in
            if state.failure == nil { state.failure = error }
            state.outbound.clear()
            return state.pending.removeAll()
        }
        var inFlight = error
        inFlight.requestSent = true
        for entry in entries { entry.waiter.resume(returning: .failure(inFlight)) }
    }
}
