import SwiftProtobuf
import TubeMQCore
import TubeMQMasterState
import TubeMQWire

/// Broker addresses as clients on the master's TLS port see them.
///
/// TubeMQ's master tells a client that registered over TLS every broker at its TLS port (the
/// `brokerInfos` of producer replies, the partitions of rebalance events), so that the client reaches
/// the brokers over TLS too. The partitions such a client reports back carry those TLS ports; they
/// are read at the plain ports the master's state knows.
struct TLSAddressing: Sendable {
    private let tlsPorts: [Int32: Int]
    private let plainPorts: [Int32: Int]

    /// The addressing of `brokers` (the master's broker list).
    init(_ brokers: [BrokerStatus]) {
        var ports: [Int32: (plain: Int, tls: Int)] = [:]
        for broker in brokers { ports[broker.config.id] = (broker.config.port, broker.tlsPort) }
        self.init(ports: ports)
    }

    /// The addressing of brokers with these plain and TLS ports, by broker id.
    init(ports: [Int32: (plain: Int, tls: Int)]) {
        self.tlsPorts = ports.mapValues(\.tls)
        self.plainPorts = ports.mapValues(\.plain)
    }

    /// A reply with each broker at its TLS port.
    func tls(_ reply: any SwiftProtobuf.Message) -> any SwiftProtobuf.Message {
        switch reply {
        case var reply as RegisterResponseM2P:
            reply.brokerInfos = reply.brokerInfos.map { brokerInfo($0, ports: tlsPorts) }
            return reply
        case var reply as HeartResponseM2P:
            reply.brokerInfos = reply.brokerInfos.map { brokerInfo($0, ports: tlsPorts) }
            return reply
        case var reply as HeartResponseM2C where reply.hasEvent:
            reply.event.subscribeInfo = reply.event.subscribeInfo.map { subscribeInfo($0, ports: tlsPorts) }
            return reply
        default:
            return reply
        }
    }

    /// A request with the partitions it reports at the brokers' plain ports.
    func plain(_ request: any SwiftProtobuf.Message) -> any SwiftProtobuf.Message {
        switch request {
        case var request as RegisterRequestC2M:
            request.subscribeInfo = request.subscribeInfo.map { subscribeInfo($0, ports: plainPorts) }
            return request
        case var request as HeartRequestC2M:
            request.subscribeInfo = request.subscribeInfo.map { subscribeInfo($0, ports: plainPorts) }
            if request.hasEvent {
                request.event.subscribeInfo = request.event.subscribeInfo.map { subscribeInfo($0, ports: plainPorts) }
            }
            return request
        default:
            return request
        }
    }

    /// `brokerId:ip:port` with the port of `ports`, written out (TubeMQ's `fullTLSInfo`); an entry
    /// that does not parse or names an unknown broker is kept as it is.
    private func brokerInfo(_ text: String, ports: [Int32: Int]) -> String {
        guard var broker = MetadataStrings.parseBrokerInfo(text), let port = ports[broker.id] else { return text }
        broker.port = port
        return "\(broker.id):\(broker.host):\(broker.port)"
    }

    /// A subscription string with its broker at the port of `ports`.
    private func subscribeInfo(_ text: String, ports: [Int32: Int]) -> String {
        guard var subscription = MetadataStrings.parseSubscribeInfo(text),
            let port = ports[subscription.partition.broker.id]
        else { return text }
        subscription.partition.broker.port = port
        return MetadataStrings.subscribeInfo(subscription)
    }
}
