import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

@Suite struct BidConsumerTests {
    /// Two clusters, a producer to each, one bid consumer; cluster A goes away as a whole in the
    /// middle of its backlog: the loop carries on with B (every message B acknowledged arrives, the loop
    /// never ends), and once A is back on the same ports and data, the rest of A's messages arrive too.
    @Test(.timeLimit(.minutes(5)))
    func carriesOnWhenAClusterGoesAwayAndPicksItUpWhenItReturns() async throws {
        let topic = "t_bid"
        let clusterA = try await RestartableCluster.start(topics: [.init(name: topic, partitions: 2)])
        let clusterB: RestartableCluster
        do {
            clusterB = try await RestartableCluster.start(topics: [.init(name: topic, partitions: 2)])
        } catch {
            await clusterA.remove()
            throw error
        }
        let producerA = try await Producer(configuration: clusterA.producerConfiguration(), logger: TestCluster.logger)
        let producerB = try await Producer(configuration: clusterB.producerConfiguration(), logger: TestCluster.logger)
        let consumer: BidConsumer
        do {
            try await producerA.publish([topic])
            try await producerB.publish([topic])
            consumer = try await BidConsumer(
                configuration: BidConsumer.Configuration(
                    clusters: [
                        BidCluster(name: "A", masters: [clusterA.masterAddress]),
                        BidCluster(name: "B", masters: [clusterB.masterAddress]),
                    ],
                    consumer: bidConsumerTemplate(group: "g_bid", topics: [topic]),
                    retryPeriod: .milliseconds(500)
                ),
                logger: TestCluster.logger
            )
        } catch {
            await producerA.shutdown()
            await producerB.shutdown()
            await clusterA.remove()
            await clusterB.remove()
            throw error
        }
        let receipts = BidReceipts()
        let loopEnded = Flag()
        let aIsBack = Flag()
        let aStopped = Flag()
        let loop = Task {
            for await message in consumer {
                receipts.record(message)
                // Once 100 of A's messages are read, the loop waits until A has gone away, so that most of
                // A's backlog is unread when it goes away, however fast this machine reads.
                if message.cluster.name == "A", !aIsBack.isSet, receipts.distinct("A").count >= 100 {
                    while !aStopped.isSet { try? await Task.sleep(for: .milliseconds(5)) }
                }
            }
            loopEnded.set()
        }
        do {
            // A's backlog spans several fetches per partition (a fetch carries up to 512 KiB).
            let filler = String(repeating: "x", count: 2_000)
            var sentA: [String] = []
            for index in 0..<1_500 {
                let body = "a-\(index)-\(filler)"
                try await producerA.send(Message(body: Array(body.utf8)), to: topic)
                sentA.append(body)
            }
            var sentB = try await sendAll((0..<300).map { "b-\($0)" }, to: topic, with: producerB)

            try await eventually("A is being read", timeout: .seconds(60)) { receipts.distinct("A").count >= 100 }
            await clusterA.stop()
            aStopped.set()
            let readFromABeforeTheOutage = receipts.distinct("A").count
            print("bid consumer: \(readFromABeforeTheOutage) of \(sentA.count) A messages read when A went away")

            // B keeps delivering, old and new messages alike, while A is away.
            sentB += try await sendAll((300..<400).map { "b-\($0)" }, to: topic, with: producerB)
            let expectedB = sentB
            try await eventually("every message B acknowledged is consumed", timeout: .seconds(90)) {
                receipts.distinct("B").isSuperset(of: expectedB)
            }
            #expect(!loopEnded.isSet, "the loop goes on while A is away")
            let readFromADuringTheOutage = receipts.distinct("A").count
            #expect(readFromADuringTheOutage < sentA.count, "part of A's backlog is left for after the outage")
            print("bid consumer: \(readFromADuringTheOutage) A messages read by the end of the outage")

            // A comes back on the same ports and data: the rest of its backlog, and what it takes now, arrive.
            try await clusterA.restart()
            aIsBack.set()
            for index in 1_500..<1_550 {
                let body = "a-\(index)"
                try await sendEventually(body, to: topic, with: producerA)
                sentA.append(body)
            }
            let expectedA = sentA
            try await eventually("every message A acknowledged is consumed", timeout: .seconds(120)) {
                receipts.distinct("A").isSuperset(of: expectedA)
            }
            #expect(!loopEnded.isSet)
            print(
                "bid consumer: A delivered \(receipts.count("A")) messages for \(sentA.count) sent "
                    + "(\(receipts.count("A") - sentA.count) again), B \(receipts.count("B")) for \(sentB.count)"
            )
        } catch {
            loop.cancel()
            await consumer.shutdown()
            await producerA.shutdown()
            await producerB.shutdown()
            await clusterA.remove()
            await clusterB.remove()
            throw error
        }
        await consumer.shutdown()
        await loop.value
        #expect(loopEnded.isSet, "shutdown ends the loop")
        #expect(consumer.joinedClusters().isEmpty)
        await producerA.shutdown()
        await producerB.shutdown()
        await clusterA.remove()
        await clusterB.remove()
    }

    /// A cluster that cannot be reached at start does not keep the consumer from the others; it is
    /// joined once it is there.
    @Test(.timeLimit(.minutes(3)))
    func startsWithTheClustersItCanReachAndJoinsTheOthersLater() async throws {
        let topic = "t_bid_late"
        let late = try await RestartableCluster.start(topics: [.init(name: topic, partitions: 1)])
        await late.stop()
        let early = try await RestartableCluster.start(topics: [.init(name: topic, partitions: 1)])
        let consumer: BidConsumer
        do {
            consumer = try await BidConsumer(
                configuration: BidConsumer.Configuration(
                    clusters: [
                        BidCluster(name: "late", masters: [late.masterAddress]),
                        BidCluster(name: "early", masters: [early.masterAddress]),
                    ],
                    consumer: bidConsumerTemplate(group: "g_bid_late", topics: [topic]),
                    retryPeriod: .milliseconds(300)
                ),
                logger: TestCluster.logger
            )
        } catch {
            await late.remove()
            await early.remove()
            throw error
        }
        let receipts = BidReceipts()
        let loop = Task { for await message in consumer { receipts.record(message) } }
        do {
            #expect(consumer.joinedClusters().map(\.name) == ["early"])
            let producer = try await Producer(configuration: early.producerConfiguration(), logger: TestCluster.logger)
            try await producer.publish([topic])
            let sentEarly = try await sendAll(["e-1", "e-2"], to: topic, with: producer)
            await producer.shutdown()
            try await eventually("the reachable cluster's messages arrive", timeout: .seconds(60)) {
                receipts.distinct("early") == Set(sentEarly)
            }

            try await late.restart()
            let lateProducer = try await Producer(
                configuration: late.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await lateProducer.publish([topic])
            try await sendEventually("l-1", to: topic, with: lateProducer)
            await lateProducer.shutdown()
            try await eventually("the late cluster is joined and delivers", timeout: .seconds(60)) {
                receipts.distinct("late") == ["l-1"]
            }
            #expect(Set(consumer.joinedClusters().map(\.name)) == ["early", "late"])
        } catch {
            loop.cancel()
            await consumer.shutdown()
            await late.remove()
            await early.remove()
            throw error
        }
        loop.cancel()
        await loop.value
        await consumer.shutdown()
        await late.remove()
        await early.remove()
    }

    @Test func noReachableClusterAtStartIsAnError() async throws {
        let down = try await RestartableCluster.start(topics: [.init(name: "t_bid_down", partitions: 1)])
        await down.stop()
        var configuration = BidConsumer.Configuration(
            clusters: [[down.masterAddress]],
            group: "g_bid_down",
            topics: ["t_bid_down"]
        )
        configuration.consumer.rpcTimeout = .seconds(2)
        let code = await errorCode {
            _ = try await BidConsumer(configuration: configuration, logger: TestCluster.logger)
        }
        #expect(code == .masterUnavailable)
        await down.remove()
    }

    @Test func badConfigurationsAreRefused() async {
        let address = MasterAddress(host: "127.0.0.1", port: 1)
        let cases: [BidConsumer.Configuration] = [
            BidConsumer.Configuration(clusters: [], group: "gg", topics: ["tt"]),
            BidConsumer.Configuration(clusters: [[address], []], group: "gg", topics: ["tt"]),
            BidConsumer.Configuration(clusters: [[address], [address]], group: "gg", topics: ["tt"]),
            BidConsumer.Configuration(clusters: [[address]], group: "bad group!", topics: ["tt"]),
            BidConsumer.Configuration(clusters: [[address]], group: "gg", topics: ["1t"]),
            BidConsumer.Configuration(clusters: [[address]], group: "gg", topics: []),
        ]
        for configuration in cases {
            let code = await errorCode {
                _ = try await BidConsumer(configuration: configuration, logger: TestCluster.logger)
            }
            #expect(code == .invalidArgument, "\(configuration.clusters) \(configuration.consumer.group)")
        }
    }
}
