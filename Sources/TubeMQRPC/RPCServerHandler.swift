import Logging
import NIOCore
import SwiftProtobuf
import TubeMQWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-connection handler: accepts frames, runs calls concurrently, writes replies by serial number.
///
/// Under ``RPCExecution/perCall`` every call gets its own task and its reply is flushed when ready.
/// Under ``RPCExecution/batchedOnEventLoop`` the calls decoded from one socket read are gathered
/// and handed to the service together at `channelReadComplete`, in one task that runs on this
/// connection's event loop; their replies leave in one flush.
final class RPCServerHandler: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: all mutable state is touched on the channel's event loop only.
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The most calls gathered before they are dispatched without waiting for the read to end.
    static let maxGathered = 512

    private let service: any RPCService
    private let servedTypes: Set<ServiceType>
    private let maxResponsePayload: Int
    private let execution: RPCExecution
    private var callContext: RPCCallContext
    private var gathered: [IncomingCall] = []
    private var decoder = FrameDecoder()
    /// Bytes of a frame not yet complete at the end of the last read.
    private var unread: ByteBuffer?
    private var failed = false
    private var executor: EventLoopTaskExecutor?
    private let limits: RPCServerLimits
    /// Bytes of ``limits``' shared budget this connection holds now.
    private var charged = 0
    /// When the frame now arriving began (the end of the read that left it incomplete), or `nil`.
    private var frameBegan: NIODeadline?
    /// The check that closes the connection once a frame has taken ``RPCServerLimits/frameTimeout``.
    private var frameCheck: Scheduled<Void>?

    init(service: any RPCService, maxResponsePayload: Int, limits: RPCServerLimits, logger: Logger) {
        self.limits = limits
        self.service = service
        self.servedTypes = service.serviceTypes
        self.maxResponsePayload = maxResponsePayload
        self.execution = service.execution
        self.callContext = RPCCallContext(remoteAddress: nil, localAddress: nil, logger: logger)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        executor = EventLoopTaskExecutor(eventLoop: context.eventLoop)
    }

    func channelActive(context: ChannelHandlerContext) {
        // Read once: every lookup of a channel's address is a system call.
        callContext.remoteAddress = context.remoteAddress
        callContext.localAddress = context.localAddress
        callContext.logger[metadataKey: "tubemq.peer"] = "\(callContext.remoteAddress.map { "\($0)" } ?? "?")"
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var bytes = unwrapInboundIn(data)
        if var pending = unread.take() {
            // Only the unfinished tail of the last read is carried over (copied with what follows it).
            pending.writeBuffer(&bytes)
            bytes = pending
        }
        var completed = false
        do {
            while let frame = try decoder.next(from: &bytes) {
                completed = true
                handle(frame, context: context)
            }
        } catch {
            fail("closing connection after a bad frame", reason: "\(error)", context: context)
            return
        }
        if bytes.readableBytes > 0 {
            var tail = context.channel.allocator.buffer(capacity: max(bytes.readableBytes * 2, 4096))
            tail.writeBuffer(&bytes)
            unread = tail
        }
        if unread == nil && !decoder.isInFrame {
            frameBegan = nil
        } else if completed || frameBegan == nil {
            frameBegan = .now()
            if frameCheck == nil { scheduleFrameCheck(context: context) }
        }
        account(context: context)
    }

    /// Closes the connection when the frame in progress began ``RPCServerLimits/frameTimeout`` ago;
    /// checks again when a later frame is in progress. One timer per connection at most, and none
    /// while no frame is partly read.
    private func scheduleFrameCheck(context: ChannelHandlerContext) {
        guard let began = frameBegan else {
            frameCheck = nil
            return
        }
        let timeout = limits.frameTimeout
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        frameCheck = context.eventLoop.scheduleTask(deadline: began + timeout) { [self] in
            let context = loopBound.value
            frameCheck = nil
            guard !failed, let began = frameBegan else { return }
            if NIODeadline.now() - began >= timeout {
                fail(
                    "closing connection: a frame took too long to arrive",
                    reason: "incomplete after \(timeout.nanoseconds / 1_000_000) ms",
                    context: context
                )
            } else {
                scheduleFrameCheck(context: context)
            }
        }
    }

    /// Charges what this connection now buffers to the shared budget; closes the connection when
    /// it is past its own limit or the server's.
    private func account(context: ChannelHandlerContext) {
        let holding = decoder.bufferedBytes + (unread?.capacity ?? 0)
        if holding > limits.maxBufferedBytesPerConnection {
            fail(
                "closing connection buffering too much",
                reason: "\(holding) bytes buffered, the limit is \(limits.maxBufferedBytesPerConnection)",
                context: context
            )
            return
        }
        guard limits.charge(holding - charged) else {
            fail(
                "closing connection: the server's buffer budget is spent",
                reason:
                    "\(limits.bufferedBytes) + \(holding - charged) bytes, the budget is \(limits.maxBufferedBytes)",
                context: context
            )
            return
        }
        charged = holding
    }

    /// Stops reading, drops what is buffered, runs the calls already read, and closes.
    private func fail(_ message: Logger.Message, reason: String, context: ChannelHandlerContext) {
        failed = true
        limits.warn(message, metadata: ["tubemq.reason": "\(reason)"], logger: callContext.logger)
        unread = nil
        decoder = FrameDecoder()
        limits.release(charged)
        charged = 0
        dispatchGathered(context: context)
        context.close(promise: nil)
    }

    private func handle(_ frame: Frame, context: ChannelHandlerContext) {
        switch IncomingCall.accept(frame, servedTypes: servedTypes) {
        case .failure(let rejection):
            callContext.logger.debug(
                "rejected request",
                metadata: ["tubemq.serial": "\(frame.serialNumber)", "tubemq.reason": "\(rejection.exception)"]
            )
            let payload = ResponseEnvelope.exception(rejection.exception)
                .encoded(clientProtocolVersion: rejection.protocolVersion)
            var out = context.channel.allocator.buffer(capacity: Frame.headerLength + 4 + payload.readableBytes)
            Self.frame(serialNumber: frame.serialNumber, payload: payload, into: &out)
            context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        case .success(let call):
            switch execution {
            case .perCall:
                run(call, context: context)
            case .batchedOnEventLoop where service.runsAlone(call):
                run(call, context: context, executor: executor)
            case .batchedOnEventLoop:
                gathered.append(call)
                if gathered.count >= Self.maxGathered { dispatchGathered(context: context) }
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        dispatchGathered(context: context)
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Calls already read still run (an append must not be half-lost); their replies go nowhere.
        frameCheck?.cancel()
        frameCheck = nil
        frameBegan = nil
        unread = nil
        decoder = FrameDecoder()
        limits.release(charged)
        charged = 0
        dispatchGathered(context: context)
        context.fireChannelInactive()
    }

    private func run(_ call: IncomingCall, context: ChannelHandlerContext, executor: EventLoopTaskExecutor? = nil) {
        let channel = context.channel
        let callContext = self.callContext
        let service = self.service
        let maxPayload = self.maxResponsePayload
        // Handlers are not cancelled when the peer leaves: a half-done append must still complete.
        Task(executorPreference: executor) {
            // Through the batch entry point too, so the service sees (and counts) every call one way.
            let outcome =
                await service.handle(batch: [call], context: callContext).first
                ?? .failure(RemoteException.handlerFailed("no reply"))
            var replies = ReplyEncoder(maxPayload: maxPayload, logger: callContext.logger)
            replies.append(outcome, for: call)
            channel.writeAndFlush(replies.output, promise: nil)
        }
    }

    private func dispatchGathered(context: ChannelHandlerContext) {
        guard !gathered.isEmpty, let executor else { return }
        let calls = gathered
        gathered = []
        let channel = context.channel
        let callContext = self.callContext
        let service = self.service
        let maxPayload = self.maxResponsePayload
        Task(executorPreference: executor) {
            let outcomes = await service.handle(batch: calls, context: callContext)
            var replies = ReplyEncoder(maxPayload: maxPayload, logger: callContext.logger)
            for (call, outcome) in zip(calls, outcomes) { replies.append(outcome, for: call) }
            channel.writeAndFlush(replies.output, promise: nil)
        }
    }

    /// Frames `payload` (a whole envelope) into `out`; the payload is known to fit.
    static func frame(serialNumber: UInt32, payload: ByteBuffer, into out: inout ByteBuffer) {
        try? FrameEncoder.encode(Frame(serialNumber: serialNumber, payload: payload), into: &out, maxPayload: .max)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            callContext.logger.debug("closing idle connection")
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A peer that went away (a killed client) is routine: the master logs the same at info.
        if let io = error as? IOError, io.errnoCode == ECONNRESET || io.errnoCode == EPIPE {
            callContext.logger.info("peer reset the connection", metadata: ["tubemq.error": "\(error)"])
            context.close(promise: nil)
            return
        }
        limits.warn(
            "closing connection after error",
            metadata: ["tubemq.error": "\(error)"],
            logger: callContext.logger
        )
        context.close(promise: nil)
    }
}
