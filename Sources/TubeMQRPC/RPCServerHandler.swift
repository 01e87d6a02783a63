import Logging
import NIOCore
import SwiftProtobuf
import TubeMQWire

/// Per-connection handler: accepts frames, runs calls concurrently, writes replies by serial number.
final class RPCServerHandler: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: all mutable state is touched on the channel's event loop only.
    typealias InboundIn = Frame
    typealias OutboundOut = Frame

    private let service: any RPCService
    private let servedTypes: Set<ServiceType>
    private let maxResponsePayload: Int
    private var logger: Logger

    init(service: any RPCService, maxResponsePayload: Int, logger: Logger) {
        self.service = service
        self.servedTypes = service.serviceTypes
        self.maxResponsePayload = maxResponsePayload
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        logger[metadataKey: "tubemq.peer"] = "\(context.remoteAddress.map { "\($0)" } ?? "?")"
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch IncomingCall.accept(frame, servedTypes: servedTypes) {
        case .failure(let rejection):
            logger.debug(
                "rejected request",
                metadata: ["tubemq.serial": "\(frame.serialNumber)", "tubemq.reason": "\(rejection.exception)"]
            )
            let payload = ResponseEnvelope.exception(rejection.exception)
                .encoded(clientProtocolVersion: rejection.protocolVersion)
            context.writeAndFlush(wrapOutboundOut(Frame(serialNumber: frame.serialNumber, payload: payload)), promise: nil)
        case .success(let call):
            run(call, context: context)
        }
    }

    private func run(_ call: IncomingCall, context: ChannelHandlerContext) {
        let channel = context.channel
        let callContext = RPCCallContext(
            remoteAddress: context.remoteAddress,
            localAddress: context.localAddress,
            logger: logger
        )
        let service = self.service
        let maxPayload = self.maxResponsePayload
        // Handlers are not cancelled when the peer leaves: a half-done append must still complete.
        Task {
            let payload = await Self.reply(to: call, service: service, context: callContext, maxPayload: maxPayload)
            channel.writeAndFlush(Frame(serialNumber: call.serialNumber, payload: payload), promise: nil)
        }
    }

    private static func reply(
        to call: IncomingCall,
        service: any RPCService,
        context: RPCCallContext,
        maxPayload: Int
    ) async -> ByteBuffer {
        let version = call.envelope.protocolVersion
        do {
            let response = try await service.handle(call, context: context)
            let bytes: [UInt8] = try response.serializedBytes()
            guard bytes.count < maxPayload - 64 else {
                throw RemoteException.handlerFailed("response of \(bytes.count) bytes exceeds the frame limit")
            }
            return ResponseEnvelope.success(method: call.method.id, data: ByteBuffer(bytes: bytes)).encoded()
        } catch let exception as RemoteException {
            return ResponseEnvelope.exception(exception).encoded(clientProtocolVersion: version)
        } catch {
            context.logger.warning(
                "handler failed",
                metadata: ["tubemq.method": "\(call.method)", "tubemq.error": "\(error)"]
            )
            return ResponseEnvelope.exception(.handlerFailed("\(error)")).encoded(clientProtocolVersion: version)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            logger.debug("closing idle connection")
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.info("closing connection after error", metadata: ["tubemq.error": "\(error)"])
        context.close(promise: nil)
    }

}
