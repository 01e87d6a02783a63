import NIOCore
import SwiftProtobuf
import Testing
import TubeMQBroker
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

/// Replays the broker side of recorded conversations against a fresh broker and compares every reply.
@Suite struct BrokerVectorReplayTests {
    /// The files in the order they ran against the real broker's `t_probe` (2 partitions, 1 store).
    static let sequence = ["probe-bad-checksum.jsonl", "probe-end-of-data.jsonl", "probe-unregistered-get.jsonl"]

    @Test func repliesMatchTheRealBroker() async throws {
        let topic = BrokerTopic(name: "t_probe", stores: 1, partitionsPerStore: 2)
        try await BrokerTestSupport.withBroker(topics: [topic]) { broker, client in
            var compared = 0
            for file in Self.sequence {
                let frames = Vectors.load(file).filter { $0.peer == "broker" }
                #expect(!frames.isEmpty, "no broker frames in \(file)")
                var replies: [String: VectorFrame] = [:]
                for frame in frames where !frame.isRequest { replies["\(frame.conn)/\(frame.serial)"] = frame }
                for request in frames where request.isRequest {
                    guard let recorded = replies["\(request.conn)/\(request.serial)"], let json = recorded.fieldsJSON,
                        let methodID = request.method, let method = RPCMethod.withID(methodID)
                    else { continue }
                    var decoder = FrameDecoder()
                    var buffer = request.buffer
                    let envelope = try RequestEnvelope(decoding: try #require(try decoder.next(from: &buffer)).payload)
                    let reply = try await client.raw(
                        method: methodID,
                        request: envelope.request,
                        host: "127.0.0.1",
                        port: broker.port,
                        serviceType: envelope.serviceType.map { ServiceType(rawValue: $0) }
                    )
                    guard case .success(let replyMethod, let data) = reply else {
                        Issue.record("\(request): exception \(reply)")
                        continue
                    }
                    #expect(replyMethod == methodID)
                    let ours = try method.responseType.init(serializedBytes: Array(data.readableBytesView))
                    // A successful send's errMsg is the (run-specific) message id.
                    let extra: Set<String> =
                        methodID == 13 && recorded.fields["success"] as? Bool == true ? ["errMsg"] : []
                    let differences = try ReplyComparison.differences(ours: ours, recordedJSON: json, ignoring: extra)
                    #expect(differences.isEmpty, "\(request): \(differences)")
                    compared += 1
                }
            }
            #expect(compared == 28)
        }
    }
}
