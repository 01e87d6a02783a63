import Synchronization
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

/// What a failed send tells about its message: whether the broker may have stored it.
@Suite struct ProducerOutcomeTests {
    /// A master that places topic `t_out` (one partition) on the broker at `brokerPort`.
    static func master(brokerPort: Int, log: RequestLog) async throws -> RPCServer {
        try await ScriptedService.start([.master], log: log) { call in
            RecordedReplies.producerMaster(
                call,
                checksum: 1,
                brokerInfos: ["1:127.0.0.1:\(brokerPort)"],
                topicInfos: ["t_out#1:1:1#"]
            )
        }
    }

    static func producer(masterPort: Int) async throws -> Producer {
        let producer = try await Producer(
            configuration: Producer.Configuration(
                masters: [MasterAddress(host: "127.0.0.1", port: masterPort)],
                heartbeatPeriod: .seconds(60),
                partitionWaitTimeout: .milliseconds(300)
            ),
            logger: TestCluster.logger
        )
        try await producer.publish(["t_out"])
        return producer
    }

    @Test func aConnectionLostWithTheSendInFlightLeavesTheOutcomeUnknown() async throws {
        let log = RequestLog()
        let received = Mutex(0)
        // The broker takes the send and dies before answering (a kill -9 after its write).
        let broker = try await ScriptedService.start([.brokerRead, .brokerWrite], log: log) { _ in
            received.withLock { $0 += 1 }
            try await Task.sleep(for: .seconds(60))
            throw CancellationError()
        }
        let master = try await Self.master(brokerPort: broker.localPort, log: log)
        let producer = try await Self.producer(masterPort: master.localPort)
        let stop = Task {
            while received.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            await broker.shutdown()
        }
        do {
            try await producer.send(Message(body: Array("lost".utf8)), to: "t_out")
            Issue.record("the send should fail")
        } catch {
            #expect(error.outcomeUnknown, "the broker had the message: \(error)")
        }
        try await stop.value
        await producer.shutdown()
        await master.shutdown()
    }

    @Test func aBrokerThatCannotBeReachedLeavesNothingStored() async throws {
        let log = RequestLog()
        let broker = try RefusingPort()
        let master = try await Self.master(brokerPort: broker.port, log: log)
        let producer = try await Self.producer(masterPort: master.localPort)
        do {
            try await producer.send(Message(body: Array("never".utf8)), to: "t_out")
            Issue.record("the send should fail")
        } catch {
            #expect(error.code == .brokerUnavailable || error.code == .noPartition, "\(error)")
            #expect(!error.outcomeUnknown, "no connection, nothing sent: \(error)")
        }
        await producer.shutdown()
        await master.shutdown()
        withExtendedLifetime(broker) {}
    }

    @Test func aBrokersInternalErrorLeavesTheOutcomeUnknown() async throws {
        let log = RequestLog()
        let broker = try await ScriptedService.start([.brokerRead, .brokerWrite], log: log) { _ in
            var reply = SendMessageResponseB2P()
            reply.success = false
            reply.errCode = 500
            reply.errMsg = "Put message failed from t_out: no space left on device"
            reply.requireAuth = false
            return reply
        }
        let master = try await Self.master(brokerPort: broker.localPort, log: log)
        let producer = try await Self.producer(masterPort: master.localPort)
        do {
            try await producer.send(Message(body: Array("full".utf8)), to: "t_out")
            Issue.record("the send should fail")
        } catch {
            #expect(error.code == .rejected)
            #expect(error.serverCode == 500)
            #expect(error.outcomeUnknown)
        }
        await producer.shutdown()
        await master.shutdown()
        await broker.shutdown()
    }
}
