import Foundation
import NIOCore
import NIOPosix
import SwiftProtobuf
import Synchronization
import TubeMQWire

/// A fake TubeMQ master and broker on one port that says yes to every well-formed request and ignores
/// (never answers, never closes on) anything malformed or unknown.
///
/// It advertises itself as broker 1 holding two partitions of `topic`, accepts every send (any size, any
/// checksum), serves every get with an empty success, and commits for anyone: the opposite of what the
/// protocol-level cases require, so each of them must fail against it.
///
/// With `wedgesOnUnreadableFrame` it stops answering on every connection once one of them sent a frame
/// it cannot read: a server that stays silent on such a frame and also stops serving everyone else. With
/// `refusesUnregisteredGets` it answers every get with 411, as a broker answers a consumer it does not know.
final class LenientServer: Sendable {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) { self.channel = channel }

    static func start(
        topic: String,
        wedgesOnUnreadableFrame: Bool = false,
        refusesUnregisteredGets: Bool = false
    ) async throws -> LenientServer {
        let portBox = PortBox()
        let wedge = wedgesOnUnreadableFrame ? Wedge() : nil
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        Handler(topic: topic, port: portBox, wedge: wedge, refusesGets: refusesUnregisteredGets)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        portBox.set(channel.localAddress?.port ?? 0)
        return LenientServer(channel: channel)
    }

    func shutdown() async { try? await channel.close() }

    final class PortBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func set(_ port: Int) { lock.withLock { value = port } }
        var port: Int { lock.withLock { value } }
    }

    /// Set once any connection sent an unreadable frame; every connection then stays silent.
    final class Wedge: Sendable {
        private let flag = Mutex(false)
        func set() { flag.withLock { $0 = true } }
        var isSet: Bool { flag.withLock { $0 } }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let topic: String
        let portBox: PortBox
        let wedge: Wedge?
        let refusesGets: Bool
        var decoder = FrameDecoder()
        var pending = ByteBuffer()
        var broken = false

        init(topic: String, port: PortBox, wedge: Wedge?, refusesGets: Bool) {
            self.topic = topic
            self.portBox = port
            self.wedge = wedge
            self.refusesGets = refusesGets
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !broken, wedge?.isSet != true else { return }
            var bytes = unwrapInboundIn(data)
            pending.writeBuffer(&bytes)
            do {
                while let frame = try decoder.next(from: &pending) {
                    guard let envelope = try? RequestEnvelope(decoding: frame.payload),
                        let reply = reply(to: envelope)
                    else { continue }
                    var out = ByteBuffer()
                    let payload = ResponseEnvelope.success(
                        method: envelope.method,
                        data: ByteBuffer(bytes: (try? reply.serializedBytes()) ?? [])
                    )
                    try FrameEncoder.encode(
                        Frame(serialNumber: frame.serialNumber, payload: payload.encoded()),
                        into: &out
                    )
                    context.writeAndFlush(wrapOutboundOut(out), promise: nil)
                }
            } catch {
                broken = true  // stay silent and keep the connection open
                wedge?.set()
            }
        }

        private func reply(to envelope: RequestEnvelope) -> (any SwiftProtobuf.Message)? {
            let broker = "1:127.0.0.1:\(portBox.port)"
            switch envelope.method {
            case 1:
                var reply = RegisterResponseM2P()
                (reply.success, reply.errCode, reply.errMsg, reply.brokerCheckSum) = (true, 200, "OK", 1)
                reply.brokerInfos = [broker]
                return reply
            case 2:
                var reply = HeartResponseM2P()
                (reply.success, reply.errCode, reply.errMsg, reply.brokerCheckSum) = (true, 200, "OK", 1)
                reply.brokerInfos = [broker]
                reply.topicInfos = ["\(topic)#1:2:1#"]
                return reply
            case 3:
                var reply = CloseResponseM2P()
                (reply.success, reply.errCode, reply.errMsg) = (true, 200, "OK")
                return reply
            case 13:
                var reply = SendMessageResponseB2P()
                (reply.success, reply.errCode, reply.errMsg) = (true, 200, "1")
                return reply
            case 15:
                var reply = RegisterResponseB2C()
                (reply.success, reply.errCode, reply.errMsg) = (true, 200, "OK")
                return reply
            case 17:
                var reply = GetMessageResponseB2C()
                (reply.success, reply.errCode) = refusesGets ? (false, 411) : (true, 200)
                return reply
            case 18:
                var reply = CommitOffsetResponseB2C()
                (reply.success, reply.errCode, reply.errMsg) = (true, 200, "OK")
                return reply
            default:
                return nil
            }
        }
    }
}
