import Foundation
import SystemPackage
import Testing
import TubeMQBroker
import TubeMQClient
import TubeMQCore
import TubeMQMaster
import TubeMQMasterState
import TubeMQTestKit

/// A broker that stops answering (here `tubemq-broker` stopped with SIGSTOP) while the master still
/// lists it: the send that meets it fails with a timeout (the broker may have stored it, so it is not
/// sent again), and the next sends go to the other broker instead of each waiting out the timeout.
@Suite struct StalledBrokerTests {
    @Test func afterATimeoutSendsAvoidTheStalledBroker() async throws {
        let master = try await MasterServer.start(
            configuration: MasterServer.Configuration(host: "127.0.0.1", port: 0),
            logger: TestCluster.logger
        )
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let local = try await BrokerServer.start(
            configuration: BrokerConfiguration(
                brokerID: 1,
                port: 0,
                dataDirectory: FilePath(directory + "/broker-1"),
                masterAddresses: [("127.0.0.1", master.port)],
                io: .posix
            ),
            logger: TestCluster.logger
        )
        let port = try await unusedPort()
        let ini = directory + "/broker-2.ini"
        try await ClusterTestSupport.writeBrokerINI(
            ini,
            id: 2,
            port: port,
            masterPort: master.port,
            data: "\(directory)/broker-2"
        )
        let binary = URL(fileURLWithPath: ConsumeInterruptTests.binary).deletingLastPathComponent()
            .appendingPathComponent("tubemq-broker").path
        let stalled = try ChildProcess.spawn([binary, "--config", ini], output: directory + "/broker-2.out")
        defer {
            stalled.signal(SIGCONT)
            stalled.signal(SIGKILL)
        }
        let state = master.master
        _ = try await state.addBroker(
            BrokerSpec(id: 1, host: "127.0.0.1", port: local.port, manageStatus: .online),
            by: "test"
        )
        _ = try await state.addBroker(
            BrokerSpec(id: 2, host: "127.0.0.1", port: port, manageStatus: .online),
            by: "test"
        )
        _ = try await state.addTopicDeployment(topic: "t_stall", brokerID: 1, by: "test")
        _ = try await state.addTopicDeployment(topic: "t_stall", brokerID: 2, by: "test")
        try await eventually("both brokers serve the topic", timeout: .seconds(20)) {
            await state.publishInfo(topic: "t_stall")?.brokers.count == 2
        }

        var configuration = Producer.Configuration(masters: [MasterAddress(host: "127.0.0.1", port: master.port)])
        configuration.rpcTimeout = .seconds(2)
        let producer = try await Producer(configuration: configuration, logger: TestCluster.logger)
        try await producer.publish(["t_stall"])
        var brokers = Set<Int32>()
        for i in 0..<4 {
            brokers.insert(
                try await producer.send(Message(body: Array("s\(i)".utf8)), to: "t_stall").partition.broker.id
            )
        }
        #expect(brokers == [1, 2])

        stalled.signal(SIGSTOP)
        var served: [Int32] = []
        var timeouts = 0
        for i in 4..<12 {
            do {
                served.append(
                    try await producer.send(Message(body: Array("s\(i)".utf8)), to: "t_stall").partition.broker.id
                )
            } catch {
                #expect(error.code == .timeout, "\(error)")
                timeouts += 1
            }
        }
        #expect(timeouts <= 1, "one send meets the stalled broker, the next ones avoid it: \(timeouts) timed out")
        #expect(served.allSatisfy { $0 == 1 }, "\(served)")
        await producer.shutdown()
        await local.shutdown()
        await master.shutdown()
    }

}
