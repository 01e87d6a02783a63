import Foundation
import Synchronization
import SystemPackage
import Testing
import TubeMQBroker
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

/// Acknowledgements per 100 ms since the load started, to see the produce rate dip at a kill.
final class AckTimeline: Sendable {
    private let start = ContinuousClock.now
    private let buckets = Mutex<[Int: Int]>([:])

    func record() {
        let bucket = Int((ContinuousClock.now - start) / .milliseconds(100))
        buckets.withLock { $0[bucket, default: 0] += 1 }
    }

    /// The bucket index of `instant`.
    func bucket(at instant: ContinuousClock.Instant) -> Int { Int((instant - start) / .milliseconds(100)) }

    /// Messages per second in each 100 ms bucket of `range`.
    func rates(_ range: Range<Int>) -> [Int] { buckets.withLock { table in range.map { table[$0, default: 0] * 10 } } }
}

/// Part of ``FailoverTests`` (serialized with them): the load and the master processes would slow
/// their takeovers.
extension FailoverTests {
    /// Three `tubemq-master` processes, two brokers, two producers and a group of two consumers (our
    /// client) under load; the active master is killed with SIGKILL five times (each killed master is
    /// started again as a standby). Every acknowledged message is consumed; each time a standby serves
    /// as the new active master within the session timeout plus a margin, and the group settles again
    /// (both consumers holding two partitions each, every partition once). Prints the takeover times
    /// and the produce rate around each kill.
    @Test(.timeLimit(.minutes(4)))
    func killingTheActiveMasterProcessLosesNoAcknowledgedMessage() async throws {
        try await ZooKeeperTestServer.with { zk in
            let directory = HATestSupport.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let sessionTimeoutMs = 3_000
            let masters = try await MasterProcessGroup(
                zooKeeper: zk.connectString,
                directory: directory,
                root: "/tubemq-kill",
                sessionTimeoutMs: sessionTimeoutMs
            )
            var brokers: [BrokerServer] = []
            do {
                let first = try await HATestSupport.waitFor("a master to be active", timeout: .seconds(60)) {
                    await masters.activeIndex() != nil
                }
                print("HA kill test: an active master after \(first)")
                // The ready line reaches a log file while the master runs (it was block-buffered, and
                // came only at exit: a script waiting for it waited for ever).
                for log in masters.logs {
                    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                    #expect(text.contains("tubemq-master ready: 127.0.0.1:"), "\(log): \(text)")
                }
                for id in Int32(1)...2 {
                    brokers.append(
                        try await BrokerServer.start(
                            configuration: BrokerConfiguration(
                                brokerID: id,
                                port: 0,
                                dataDirectory: FilePath(directory + "/broker-\(id)"),
                                masterAddresses: masters.addresses,
                                heartbeatPeriodMillis: 300,
                                io: .posix
                            ),
                            logger: HATestSupport.logger
                        )
                    )
                }
                let active = try #require(await masters.activeIndex())
                for (index, broker) in brokers.enumerated() {
                    try await masters.modify(
                        active,
                        "method=admin_add_broker_configure&brokerId=\(index + 1)&brokerIp=127.0.0.1"
                            + "&brokerPort=\(broker.port)&brokerWebPort=\(20_000 + index)"
                    )
                }
                try await masters.modify(active, "method=admin_online_broker_configure&brokerId=1,2")
                try await masters.modify(
                    active,
                    "method=admin_add_new_topic_record&topicName=kill&brokerId=1,2&numPartitions=2"
                )
                try await HATestSupport.waitFor("both brokers serving topic kill", timeout: .seconds(30)) {
                    brokers.allSatisfy { $0.topics.contains { $0.name == "kill" } }
                }
                try await run(masters: masters, sessionTimeoutMs: sessionTimeoutMs)
            } catch {
                for broker in brokers { await broker.shutdown() }
                await masters.stop()
                throw error
            }
            for broker in brokers { await broker.shutdown() }
            await masters.stop()
        }
    }

    private func run(masters: MasterProcessGroup, sessionTimeoutMs: Int) async throws {
        let masterList = masters.addresses.map { MasterAddress(host: $0.host, port: $0.port) }
        var producers: [Producer] = []
        for _ in 0..<2 {
            let producer = try await Producer(
                configuration: .init(masters: masterList, heartbeatPeriod: .milliseconds(500), rpcTimeout: .seconds(2)),
                logger: HATestSupport.logger
            )
            try await producer.publish(["kill"])
            producers.append(producer)
        }
        var configuration = Consumer.Configuration(
            masters: masterList,
            group: "kill-group",
            topics: ["kill"],
            startPosition: .first,
            heartbeatPeriod: .milliseconds(500),
            rpcTimeout: .seconds(2)
        )
        configuration.clientID = nil
        let consumers = [
            try await PushConsumer(configuration: configuration, logger: HATestSupport.logger),
            try await PushConsumer(configuration: configuration, logger: HATestSupport.logger),
        ]
        let acknowledged = NumberSet()
        let consumed = NumberSet()
        let failures = NumberSet()
        let load = LoadControl()
        let timeline = AckTimeline()
        let senders = producers.flatMap { producer in
            (0..<4).map { _ in
                Task {
                    while load.isRunning {
                        let number = load.next()
                        if (try? await producer.send(Message(body: Array("\(number)".utf8)), to: "kill")) != nil {
                            acknowledged.insert(number)
                            timeline.record()
                        } else {
                            failures.insert(number)
                            try? await Task.sleep(for: .milliseconds(10))
                        }
                    }
                }
            }
        }
        let readers = consumers.map { consumer in
            Task {
                do {
                    for try await message in consumer {
                        if let number = Int(String(decoding: message.body, as: UTF8.self)) { consumed.insert(number) }
                    }
                } catch {}
            }
        }
        var report: [String] = []
        var activeTimes: [Duration] = []
        var settleTimes: [Duration] = []
        do {
            var active = try #require(await masters.activeIndex())
            try await HATestSupport.waitFor("the group to settle", timeout: .seconds(60)) {
                await masters.groupSettled(active, group: "kill-group", members: 2, partitions: 4)
            }
            try await Task.sleep(for: .seconds(2))
            for kill in 1...5 {
                let start = ContinuousClock.now
                masters.kill(active)
                let killed = active
                let newActive = try await HATestSupport.waitFor("a new active master", timeout: .seconds(20)) {
                    for index in masters.nodes.indices where index != killed {
                        if await masters.role(index) == .active {
                            active = index
                            return true
                        }
                    }
                    return false
                }
                try await HATestSupport.waitFor("the group to settle again", timeout: .seconds(60)) {
                    await masters.groupSettled(active, group: "kill-group", members: 2, partitions: 4)
                }
                let total = ContinuousClock.now - start
                activeTimes.append(newActive)
                settleTimes.append(total)
                try masters.start(killed)
                // The rates of the 5 s after the kill, once they are over.
                let rest = start + .milliseconds(5_200) - ContinuousClock.now
                if rest > .zero { try await Task.sleep(for: rest) }
                let before = timeline.rates(timeline.bucket(at: start) - 20..<timeline.bucket(at: start))
                let during = timeline.rates(timeline.bucket(at: start)..<timeline.bucket(at: start) + 50)
                let median = before.sorted()[before.count / 2]
                report.append(
                    "kill \(kill): master \(killed + 1) killed, master \(active + 1) serving after \(newActive), "
                        + "group settled after \(total); produce rate \(median) msg/s before (median of 100 ms, "
                        + "lowest \(before.min() ?? 0)), lowest 100 ms after the kill \(during.min() ?? 0) msg/s, "
                        + "100 ms buckets under half the median \(during.filter { $0 * 2 < median }.count) "
                        + "(at +\(during.indices.filter { during[$0] * 2 < median }.map { "\(Double($0) / 10)" }.joined(separator: ",")) s), "
                        + "mean over 5 s \(during.reduce(0, +) / max(during.count, 1)) msg/s"
                )
                try await Task.sleep(for: .seconds(1))
            }
        } catch {
            load.stop()
            for sender in senders { await sender.value }
            for reader in readers { reader.cancel() }
            for consumer in consumers { await consumer.shutdown() }
            for producer in producers { await producer.shutdown() }
            throw error
        }
        load.stop()
        for sender in senders { await sender.value }
        let sent = acknowledged.all
        for line in report { print("HA kill test: \(line)") }
        print(
            "HA kill test: new active serving after "
                + activeTimes.map { "\(Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18)" }
                .joined(separator: ", ") + " s; group settled after "
                + settleTimes.map { "\(Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18)" }
                .joined(separator: ", ") + " s; \(sent.count) acknowledged, \(failures.all.count) sends failed"
        )
        #expect(sent.count > 1_000)
        for time in activeTimes {
            #expect(time < .milliseconds(sessionTimeoutMs) + .seconds(7), "takeover within the session timeout")
        }
        do {
            try await HATestSupport.waitFor("every acknowledged message consumed", timeout: .seconds(60)) {
                sent.isSubset(of: consumed.all)
            }
        } catch {
            Issue.record("\(sent.subtracting(consumed.all).count) of \(sent.count) acknowledged messages not consumed")
        }
        for reader in readers { reader.cancel() }
        for consumer in consumers { await consumer.shutdown() }
        for producer in producers { await producer.shutdown() }
    }
}
