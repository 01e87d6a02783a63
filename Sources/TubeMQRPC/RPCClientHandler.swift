import NIOCore
import TubeMQWire

/// A request on its way out, with the promise its reply completes.
struct OutboundCall: Sendable {
    var envelope: RequestEnvelope
    var timeout: TimeAmount
    var promise: EventLoopPromise<ResponseEnvelope>
}

/// Client-side connection handler: numbers outgoing calls and completes them by the serial of their reply.
final class RPCClientHandler: ChannelDuplexHandler, @unchecked Sendable {
    // @unchecked: state is touched only on the channel's event loop.
    typealias InboundIn = Frame
    typealias OutboundIn = OutboundCall
    typealias OutboundOut = Frame

    private struct Pending {
        var promise: EventLoopPromise<ResponseEnvelope>
        var timeout: Scheduled<Void>
    }

    private var nextSerial: UInt32
    private var pending: [UInt32: Pending] = [:]
    private let address: String

    init(address: String, firstSerial: UInt32 = 1) {
        self.address = address
        self.nextSerial = firstSerial
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let call = unwrapOutboundIn(data)
        let serial = nextSerial
        nextSerial &+= 1
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let address = self.address
        let timeout = context.eventLoop.scheduleTask(in: call.timeout) {
            if let entry = loopBound.value.pending.removeValue(forKey: serial) {
                entry.promise.fail(RPCError(.timeout, "no reply from \(address) within \(call.timeout)"))
            }
        }
        pending[serial] = Pending(promise: call.promise, timeout: timeout)
        let frame = Frame(serialNumber: serial, payload: call.envelope.encoded)
        context.write(wrapOutboundOut(frame), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard let entry = pending.removeValue(forKey: frame.serialNumber) else { return }
        entry.timeout.cancel()
        do {
            entry.promise.succeed(try ResponseEnvelope(decoding: frame.payload))
        } catch {
            entry.promise.fail(RPCError(.badResponse, "undecodable reply from \(address)", underlying: error))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RPCError(.connectionFailed, "connection to \(address) closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(RPCError(.connectionFailed, "connection to \(address) failed", underlying: error))
        context.close(promise: nil)
    }

    private func failAll(_ error: RPCError) {
        let entries = pending
        pending.removeAll()
        for entry in entries.values {
            entry.timeout.cancel()
            entry.promise.fail(error)
        }
    }
}
