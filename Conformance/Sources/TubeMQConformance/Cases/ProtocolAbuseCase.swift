import NIOCore
import TubeMQCore
import TubeMQWire

/// Malformed traffic gets an exception reply or a closed connection, never a success, and the master
/// and the brokers keep serving other clients afterwards.
///
/// A frame that cannot be read (a bad begin token, a list size over 3584) may also be met with silence
/// and the connection left open, as the original server does; then the server must keep serving every
/// other connection while that one stays open, and again after more bytes arrive on it (a server that
/// kept them would grow without bound; the case cannot see the server's memory, only that it serves).
public struct ProtocolAbuseCase: ConformanceCase {
    public let name = "protocol_abuse"
    public let summary = "bad token, oversize list, garbage and unknown methods get an error or a close"

    /// How long to wait for the server's reaction to one abuse.
    public var wait: Duration
    /// How many more bytes go to a connection the server went silent on.
    public var floodBytes: Int

    /// Creates the case.
    public init(wait: Duration = .seconds(10), floodBytes: Int = 8 << 20) {
        self.wait = wait
        self.floodBytes = floodBytes
    }

    /// One kind of malformed traffic.
    struct Abuse: Sendable {
        var name: String
        /// Whether the frame cannot be read at all, so the server may stay silent and keep the connection.
        var unreadableFrame = false
        var bytes: @Sendable (_ serviceType: Int32) -> [UInt8]
    }

    static let abuses: [Abuse] = [
        Abuse(name: "a bad begin token", unreadableFrame: true) { _ in
            RawConnection.frame(serial: 1, chunks: [[0x08, 0x00]], token: 0xDEAD_BEEF)
        },
        Abuse(name: "a list size over 3584", unreadableFrame: true) { _ in
            RawConnection.frame(serial: 2, chunks: [], listSize: 0x00FF_FFFF)
        },
        Abuse(name: "a garbage envelope") { _ in
            RawConnection.frame(serial: 3, chunks: [[0x01, 0x02, 0x03, 0x04, 0x05]])
        },
        Abuse(name: "a request body that is not protobuf") { serviceType in
            RawConnection.request(
                serial: 4,
                method: serviceType == 1 ? 1 : 17,
                serviceType: serviceType,
                body: [0xFF, 0xFF, 0xFF, 0xFF]
            )
        },
        Abuse(name: "unknown method 99") { serviceType in
            RawConnection.request(serial: 5, method: 99, serviceType: serviceType, body: [])
        },
    ]

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        try await run(context, abuses: Self.abuses)
    }

    /// Runs `abuses` against the master and the first broker.
    func run(_ context: CaseContext, abuses: [Abuse]) async throws(ConformanceError) {
        let probe = try await ClusterProbe.connect(context)
        guard let broker = probe.brokers.first else { throw .violation("the topic has no broker") }
        let targets: [(what: String, host: String, port: Int, serviceType: Int32)] = [
            ("the master \(probe.master)", probe.master.host, probe.master.port, 1),
            ("broker \(broker)", broker.host, broker.port, 2),
        ]
        for target in targets {
            for abuse in abuses {
                let wait = min(wait, context.remaining)
                let outcome = try await RawConnection.exchange(
                    abuse.bytes(target.serviceType),
                    host: target.host,
                    port: target.port,
                    wait: wait
                ) { outbound throws(ConformanceError) in
                    guard abuse.unreadableFrame else { return }
                    let held = "\(abuse.name) (its connection still open)"
                    try await Self.expectServing(target.serviceType, probe: probe, broker: broker, after: held, context)
                    await Self.flood(outbound, bytes: floodBytes, within: wait)
                    let flooded = "\(abuse.name) and \(floodBytes) more bytes on its connection"
                    try await Self.expectServing(
                        target.serviceType,
                        probe: probe,
                        broker: broker,
                        after: flooded,
                        context
                    )
                }
                switch outcome {
                case .closed:
                    break
                case .silent:
                    guard abuse.unreadableFrame else {
                        throw .violation(
                            "\(target.what) neither answered nor closed the connection after \(abuse.name)"
                        )
                    }
                case .garbled(let detail):
                    throw .violation("\(target.what) answered \(abuse.name) with bytes that are no frame: \(detail)")
                case .replied(let frames):
                    try Self.expectException(frames[0], from: target.what, to: abuse.name)
                }
                try await Self.expectServing(
                    target.serviceType,
                    probe: probe,
                    broker: broker,
                    after: abuse.name,
                    context
                )
            }
        }
    }

    /// Writes `bytes` of filler to `outbound` for at most `limit`; a server that stops reading holds the
    /// writes back, which is fine: only what it reads and keeps would cost it memory.
    private static func flood(
        _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        bytes: Int,
        within limit: Duration
    ) async {
        let chunk = ByteBuffer(repeating: 0xA5, count: 64 << 10)
        let writer = Task {
            for _ in 0..<(bytes / chunk.readableBytes) {
                do { try await outbound.write(chunk) } catch { return }
            }
        }
        _ = await value(of: writer, within: limit)
    }

    private static func expectException(_ frame: Frame, from target: String, to abuse: String) throws(ConformanceError)
    {
        let envelope: ResponseEnvelope
        do {
            envelope = try ResponseEnvelope(decoding: frame.payload)
        } catch {
            throw .violation("\(target) answered \(abuse) with an unreadable envelope: \(error)")
        }
        guard case .exception = envelope else { throw .violation("\(target) answered \(abuse) with a success") }
    }

    /// A well-formed call on a new connection still gets its normal reply.
    private static func expectServing(
        _ serviceType: Int32,
        probe: ClusterProbe,
        broker: BrokerInfo,
        after abuse: String,
        _ context: CaseContext
    ) async throws(ConformanceError) {
        await probe.rpc.disconnect(host: probe.master.host, port: probe.master.port)
        await probe.rpc.disconnect(host: broker.host, port: broker.port)
        do {
            if serviceType == 1 {
                var heartbeat = HeartRequestP2M()
                heartbeat.clientID = probe.clientID
                heartbeat.brokerCheckSum = -1
                heartbeat.hostName = "127.0.0.1"
                heartbeat.topicList = [context.topic]
                let reply: HeartResponseM2P = try await ClusterProbe.call(
                    probe.rpc,
                    .producerHeartbeat,
                    heartbeat,
                    at: probe.master
                )
                // 411 (the master forgot the probe) is a normal answer too; only no answer means it stopped serving.
                try require(
                    reply.success || reply.errCode == ErrorCode.heartbeatNoNode.rawValue,
                    "the master answered a producer heartbeat with \(reply.errCode) after \(abuse)"
                )
            } else {
                var get = GetMessageRequestC2B()
                get.clientID = "conf-abuse-\(context.settings.runID)"
                get.partitionID = probe.partitions.first { $0.broker == broker }?.id ?? 0
                get.groupName = context.group()
                get.topicName = context.topic
                let reply: GetMessageResponseB2C = try await probe.call(.getMessages, get, at: broker)
                try require(
                    reply.errCode == ErrorCode.heartbeatNoNode.rawValue,
                    "the broker answered a stranger's get with \(reply.errCode) after \(abuse), not 411"
                )
            }
        } catch {
            throw .violation("the cluster stopped serving after \(abuse): \(error)")
        }
    }
}
