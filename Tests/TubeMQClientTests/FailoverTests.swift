import Foundation
import Logging
import SwiftProtobuf
import Synchronization
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQMaster
import TubeMQMasterState
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

/// A master that is not the active one: it answers every call with `StandbyException`, as a Java standby master does.
struct StandbyMaster: RPCService {
    let calls = CallCounter()
    var serviceTypes: Set<ServiceType> { [.master] }

    func handle(_ call: IncomingCall, context: RPCCallContext) async throws -> any SwiftProtobuf.Message {
        calls.increment()
        throw RemoteException.standby("Please send your request to the active Node.")
    }
}

extension StandbyMaster {
    /// A standby master serving on a free port of 127.0.0.1, and the service (to count its calls).
    static func start() async throws -> (StandbyMaster, RPCServer) {
        let service = StandbyMaster()
        let server = try await RPCServer.start(
            configuration: RPCServerConfiguration(port: 0),
            service: service,
            logger: TestCluster.logger
        )
        return (service, server)
    }
}

final class CallCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

@Suite struct FailoverTests {
    @Test func clientsSkipUnreachableAndStandbyMastersAndRegisterWithTheActiveOne() async throws {
        try await TestCluster.with(topics: [.init(name: "t_failover", partitions: 1)]) { cluster in
            let (service, standby) = try await StandbyMaster.start()
            let closed = try RefusingPort()
            let masters = [
                MasterAddress(host: "127.0.0.1", port: closed.port),
                MasterAddress(host: "127.0.0.1", port: standby.localPort),
                cluster.masterAddress,
            ]
            var producerConfiguration = cluster.producerConfiguration()
            producerConfiguration.masters = masters
            let producer = try await Producer(configuration: producerConfiguration, logger: TestCluster.logger)
            try await producer.publish(["t_failover"])
            try await producer.send(.text("via the active master"), to: "t_failover")
            #expect(service.calls.value == 1, "the standby was asked once, then the active master was remembered")

            var consumerConfiguration = cluster.consumerConfiguration(group: "g_failover", topics: ["t_failover"])
            consumerConfiguration.masters = masters
            let consumer = try await PushConsumer(configuration: consumerConfiguration, logger: TestCluster.logger)
            let received = try await receive(1, from: consumer)
            #expect(received.map(\.text) == ["via the active master"])
            #expect(service.calls.value == 2)
            await producer.shutdown()
            await standby.shutdown()
            withExtendedLifetime(closed) {}
        }
    }

    /// Masters that all answer "standby" are between two active ones: starting asks again for up to
    /// `masterTakeoverWait`, then fails; with `.zero` it fails after one round.
    @Test func onlyStandbyMastersMeanNoMasterOnceTheTakeoverWaitRunsOut() async throws {
        let (service, standby) = try await StandbyMaster.start()
        var configuration = Consumer.Configuration(
            masters: [MasterAddress(host: "127.0.0.1", port: standby.localPort)],
            group: "gp",
            topics: ["tp"]
        )
        configuration.masterTakeoverWait = .seconds(1)
        let started = ContinuousClock.now
        let code = await errorCode {
            _ = try await PullConsumer(configuration: configuration, logger: TestCluster.logger)
        }
        let elapsed = ContinuousClock.now - started
        #expect(code == .masterUnavailable)
        // Asked again, unless the first round alone took what was left of the wait but the pause (a
        // starved machine took seconds for it when the whole suite started).
        #expect(service.calls.value >= 2 || elapsed >= .milliseconds(500), "asked again while standby")

        configuration.masterTakeoverWait = .zero
        let before = service.calls.value
        let once = await errorCode {
            _ = try await PullConsumer(configuration: configuration, logger: TestCluster.logger)
        }
        #expect(once == .masterUnavailable)
        #expect(service.calls.value == before + 1, "one round without a wait")
        await standby.shutdown()
    }

    /// A takeover seen from a client: one master answers standby, the next one does not serve yet. A
    /// producer connecting meanwhile keeps asking, and registers once the next master serves.
    @Test func connectingWaitsForTheNextActiveMaster() async throws {
        let (service, standby) = try await StandbyMaster.start()
        let port = try await unusedPort()
        var configuration = Producer.Configuration(
            masters: [
                MasterAddress(host: "127.0.0.1", port: standby.localPort), MasterAddress(host: "127.0.0.1", port: port),
            ],
            rpcTimeout: .seconds(5)
        )
        configuration.masterTakeoverWait = .seconds(120)
        let connecting = Task { try await Producer(configuration: configuration, logger: TestCluster.logger) }
        let next: MasterServer
        do {
            // Without the wait, the producer would fail after the first round and ask no more.
            try await withTimeout(.seconds(60), "the standby asked a second time") {
                while service.calls.value < 2 { try await Task.sleep(for: .milliseconds(20)) }
            }
            next = try await MasterServer.start(
                configuration: MasterServer.Configuration(host: "127.0.0.1", port: port),
                logger: TestCluster.logger
            )
        } catch {
            connecting.cancel()
            await standby.shutdown()
            throw error
        }
        let result = await connecting.result
        switch result {
        case .success(let producer):
            await producer.shutdown()
        case .failure(let error):
            Issue.record("the producer did not connect once the next master served: \(error)")
        }
        await next.shutdown()
        await standby.shutdown()
    }

    @Test func whenTheActiveMasterDiesClientsRegisterWithTheNextOneAndCarryOn() async throws {
        let backup = try await MasterServer.start(
            configuration: MasterServer.Configuration(
                host: "127.0.0.1",
                port: 0,
                firstBalanceDelayMs: 100,
                balancePeriodMs: 100,
                consumerHeartbeatTimeoutMs: 10_000,
                producerHeartbeatTimeoutMs: 10_000,
                brokerHeartbeatTimeoutMs: 10_000
            ),
            logger: TestCluster.logger
        )
        let cluster = try await TestCluster.start(
            topics: [.init(name: "t_ha", partitions: 1)],
            backupMasterPorts: [backup.port]
        )
        do {
            let broker = cluster.brokers[0]
            _ = try await backup.master.addBroker(
                BrokerSpec(id: 1, host: "127.0.0.1", port: broker.port, manageStatus: .online),
                by: "test"
            )
            _ = try await backup.master.addTopicDeployment(
                topic: "t_ha",
                brokerID: 1,
                settings: TopicSettingsPatch(numPartitions: 1),
                by: "test"
            )
            let masters = [cluster.masterAddress, MasterAddress(host: "127.0.0.1", port: backup.port)]
            var producerConfiguration = cluster.producerConfiguration()
            producerConfiguration.masters = masters
            let producer = try await Producer(configuration: producerConfiguration, logger: TestCluster.logger)
            try await producer.publish(["t_ha"])
            var consumerConfiguration = cluster.consumerConfiguration(group: "g_ha", topics: ["t_ha"])
            consumerConfiguration.masters = masters
            let consumer = try await PushConsumer(configuration: consumerConfiguration, logger: TestCluster.logger)
            try await withTimeout(.seconds(30)) {
                var messages = consumer.makeAsyncIterator()
                try await producer.send(.text("before"), to: "t_ha")
                #expect(try await messages.next()?.text == "before")

                await cluster.master.shutdown()
                try await eventually("both clients registered with the backup master") {
                    let producerKnown = await backup.master.producer(clientID: producer.clientID) != nil
                    let consumerKnown = await backup.master.consumer(clientID: consumer.clientID) != nil
                    return producerKnown && consumerKnown
                }
                try await producer.send(.text("after"), to: "t_ha")
                #expect(try await messages.next()?.text == "after")
            }
            await producer.shutdown()
            await consumer.shutdown()
            #expect(await backup.master.consumer(clientID: consumer.clientID) == nil, "closed at the backup master")
        } catch {
            await cluster.shutdown()
            await backup.shutdown()
            throw error
        }
        await cluster.shutdown()
        await backup.shutdown()
    }
}
