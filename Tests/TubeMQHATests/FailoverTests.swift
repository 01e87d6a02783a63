import Foundation
import Synchronization
import SystemPackage
import Testing
import TubeMQBroker
import TubeMQClient
import TubeMQCore
import TubeMQMaster
import TubeMQMasterState
import TubeMQTestKit

/// Numbers seen by several tasks.
final class NumberSet: Sendable {
    private let numbers = Mutex<Set<Int>>([])
    func insert(_ number: Int) { numbers.withLock { _ = $0.insert(number) } }
    var all: Set<Int> { numbers.withLock { $0 } }
}

/// The load generator's shared counter and stop flag.
final class LoadControl: Sendable {
    private let counter = Atomic<Int>(0)
    private let running = Atomic<Bool>(true)
    func next() -> Int { counter.wrappingAdd(1, ordering: .relaxed).oldValue }
    var isRunning: Bool { running.load(ordering: .relaxed) }
    func stop() { running.store(false, ordering: .relaxed) }
}

@Suite(.serialized) struct FailoverTests {
    /// Three masters, two brokers, a producer and a group of two consumers under load; the active
    /// master's session is expired (as after a crash) and it is stopped, then the next active one is
    /// shut down: every acknowledged message is consumed, the topic made before is served by each
    /// new active master, and each takes over within 5 s.
    @Test(.timeLimit(.minutes(2)))
    func everyAcknowledgedMessageIsConsumedAcrossTwoTakeovers() async throws {
        try await ZooKeeperTestServer.with { zk in
            let root = "/tubemq-failover"
            var masters: [HAMasterServer] = [try await HATestSupport.startMaster(zk, root: root)]
            try await HATestSupport.waitFor("the first master to be active") { masters[0].role.isActive }
            for _ in 1..<3 { masters.append(try await HATestSupport.startMaster(zk, root: root)) }
            let directory = HATestSupport.temporaryDirectory()
            var brokers: [BrokerServer] = []
            for id in Int32(1)...2 {
                brokers.append(
                    try await BrokerServer.start(
                        configuration: BrokerConfiguration(
                            brokerID: id,
                            port: 0,
                            dataDirectory: FilePath(directory + "/broker-\(id)"),
                            masterAddresses: masters.map { ("127.0.0.1", $0.port) },
                            heartbeatPeriodMillis: 200,
                            io: .posix
                        ),
                        logger: HATestSupport.logger
                    )
                )
            }
            let first = try #require(masters[0].role.master)
            for (index, broker) in brokers.enumerated() {
                let id = Int32(index + 1)
                _ = try await first.addBroker(BrokerSpec(id: id, host: "127.0.0.1", port: broker.port), by: "test")
                _ = try await first.onlineBroker(id: id, by: "test")
                _ = try await first.addTopicDeployment(
                    topic: "ha",
                    brokerID: id,
                    settings: TopicSettingsPatch(numPartitions: 2),
                    by: "test"
                )
            }
            try await HATestSupport.waitFor("both brokers serving topic ha") {
                guard brokers.allSatisfy({ $0.topics.contains { $0.name == "ha" } }) else { return false }
                return await first.servingBrokers().brokers.count == 2
            }

            let masterList = masters.map { MasterAddress(host: "127.0.0.1", port: $0.port) }
            let producer = try await Producer(
                configuration: .init(masters: masterList, heartbeatPeriod: .milliseconds(500), rpcTimeout: .seconds(2)),
                logger: HATestSupport.logger
            )
            try await producer.publish(["ha"])
            var consumerConfiguration = Consumer.Configuration(
                masters: masterList,
                group: "ha-group",
                topics: ["ha"],
                startPosition: .first,
                heartbeatPeriod: .milliseconds(500),
                rpcTimeout: .seconds(2)
            )
            consumerConfiguration.clientID = nil
            let consumers = [
                try await PushConsumer(configuration: consumerConfiguration, logger: HATestSupport.logger),
                try await PushConsumer(configuration: consumerConfiguration, logger: HATestSupport.logger),
            ]
            let acknowledged = NumberSet()
            let consumed = NumberSet()
            let load = LoadControl()
            let senders = (0..<4).map { _ in
                Task {
                    while load.isRunning {
                        let number = load.next()
                        if (try? await producer.send(Message(body: Array("\(number)".utf8)), to: "ha")) != nil {
                            acknowledged.insert(number)
                        }
                        try? await Task.sleep(for: .milliseconds(1))
                    }
                }
            }
            let readers = consumers.map { consumer in
                Task {
                    do {
                        for try await message in consumer {
                            if let number = Int(String(decoding: message.body, as: UTF8.self)) {
                                consumed.insert(number)
                            }
                        }
                    } catch {}
                }
            }
            try await Task.sleep(for: .seconds(1))

            // Takeover 1: the active master's session expires (what ZooKeeper does after a crash), then it stops.
            var start = ContinuousClock.now
            try await HATestSupport.expireSession(of: masters[0], on: zk)
            await masters[0].shutdown()
            let active1 = try await HATestSupport.waitFor("master 2 active", timeout: .seconds(5)) {
                masters[1].role.isActive
            }
            try await HATestSupport.waitFor("master 2 serving both brokers", timeout: .seconds(15)) {
                (await masters[1].role.master?.servingBrokers().brokers.count) == 2
            }
            let serving1 = ContinuousClock.now - start
            #expect(await masters[1].role.master?.topic(named: "ha") != nil)
            print("HA takeover 1 (session expired): active after \(active1), serving both brokers after \(serving1)")
            try await Task.sleep(for: .seconds(1))

            // Takeover 2: the new active master shuts down (closeSession deletes its election znode).
            start = ContinuousClock.now
            await masters[1].shutdown()
            let active2 = try await HATestSupport.waitFor("master 3 active", timeout: .seconds(5)) {
                masters[2].role.isActive
            }
            try await HATestSupport.waitFor("master 3 serving both brokers", timeout: .seconds(15)) {
                (await masters[2].role.master?.servingBrokers().brokers.count) == 2
            }
            let serving2 = ContinuousClock.now - start
            #expect(await masters[2].role.master?.topic(named: "ha") != nil)
            print("HA takeover 2 (shutdown): active after \(active2), serving both brokers after \(serving2)")
            try await Task.sleep(for: .seconds(1))

            load.stop()
            for sender in senders { await sender.value }
            let sent = acknowledged.all
            let produceSeconds = 3.0
            print(
                "HA load: \(sent.count) acknowledged messages (about \(Int(Double(sent.count) / produceSeconds)) msg/s)"
            )
            // The load ran through both takeovers. Its rate, printed above, drops when the whole suite
            // shares the 2 cores (319–616 in fresh-clone CI runs, 124 beside stress-ng --cpu 4); the
            // process kill test measures it. 50 keeps the check from passing on an idle load.
            #expect(sent.count > 50)
            do {
                try await HATestSupport.waitFor("every acknowledged message consumed", timeout: .seconds(30)) {
                    sent.isSubset(of: consumed.all)
                }
            } catch {
                Issue.record(
                    "\(sent.subtracting(consumed.all).count) of \(sent.count) acknowledged messages not consumed"
                )
            }
            for reader in readers { reader.cancel() }
            for consumer in consumers { await consumer.shutdown() }
            await producer.shutdown()
            for broker in brokers { await broker.shutdown() }
            await masters[2].shutdown()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// The active master's session is expired while the process lives: it answers StandbyException,
    /// and a write fenced by its old election znode is refused; the standby takes over. A standby's
    /// webapi redirects to the active master.
    @Test(.timeLimit(.minutes(1)))
    func anExpiredActiveMasterStopsAtOnceAndItsWritesAreFenced() async throws {
        try await ZooKeeperTestServer.with { zk in
            let root = "/tubemq-split"
            let a = try await HATestSupport.startMaster(zk, root: root, webPort: 18080)
            try await HATestSupport.waitFor("a active") { a.role.isActive }
            let b = try await HATestSupport.startMaster(zk, root: root)
            try await HATestSupport.waitFor("b knows a is active") { b.role.activeAddress == a.address }
            let web = try await MasterHTTPServerProbe.redirect(
                of: b,
                path: "/webapi.htm?type=op_query&method=admin_query_broker_configure"
            )
            #expect(web.status == 302)
            #expect(
                web.location == "http://127.0.0.1:18080/webapi.htm?type=op_query&method=admin_query_broker_configure"
            )

            let activeMaster = try #require(a.role.master)
            _ = try await activeMaster.addBroker(BrokerSpec(id: 1, host: "127.0.0.1", port: 9123), by: "test")
            _ = try await activeMaster.addTopicDeployment(
                topic: "before",
                brokerID: 1,
                settings: TopicSettingsPatch(),
                by: "test"
            )
            try await HATestSupport.waitFor("b to hold the new topic in its standby copy") {
                b.role.standbyMetadata?.topics.contains { $0.name == "before" } == true
            }
            let fence = try #require(await a.electionNode)
            try await HATestSupport.expireSession(of: a, on: zk)
            let stepDown = try await HATestSupport.waitFor("a to step down", timeout: .seconds(5)) { !a.role.isActive }
            print("HA split brain: the expired active stepped down after \(stepDown)")

            // It answers StandbyException: a client listing only a gets no master (at once, without
            // waiting for a takeover).
            var onlyA = Consumer.Configuration(
                masters: [MasterAddress(host: "127.0.0.1", port: a.port)],
                group: "gp",
                topics: ["before"],
                rpcTimeout: .seconds(2)
            )
            onlyA.masterTakeoverWait = .zero
            do {
                _ = try await PullConsumer(configuration: onlyA, logger: HATestSupport.logger)
                Issue.record("a deposed master registered a consumer")
            } catch let error as ClientError {
                #expect(error.code == .masterUnavailable)
                #expect(error.message.contains("standby"))
            }

            // A write fenced by its old election znode is refused.
            let zkClient = try await HATestSupport.connect(zk)
            let store = ZooKeeperMetadataStore(client: zkClient, root: root, fence: fence)
            let snapshot = try #require(try await store.load())
            do {
                try await store.persist(MetadataChange(version: 1, directives: [], snapshot: MasterSnapshot()))
                Issue.record("a fenced write went through")
            } catch let error as MetadataStoreError {
                #expect(error.code == .fenced)
            }
            #expect(snapshot.topics.map(\.name) == ["before"])

            // b takes over with the topic made before.
            try await HATestSupport.waitFor("b active", timeout: .seconds(5)) { b.role.isActive }
            #expect(await b.role.master?.topic(named: "before") != nil)
            await zkClient.close()
            await a.shutdown()
            await b.shutdown()
        }
    }
}
