import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQStorage
import TubeMQTestKit

/// `/metrics` of a master and two brokers after a known load, read with Prometheus' reference
/// parser: the counters equal what was sent and consumed.
@Suite struct MetricsEndToEndTests {
    static let topic = "t_metrics"
    static let group = "g_metrics"
    static let count = 300
    static let size = 100

    static func scrape(port: Int) async throws -> [PrometheusText.Sample] {
        let response = try await TestHTTP.get(port: port, path: "/metrics")
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        return try await PrometheusText.parse(response.body)
    }

    static func scrapeBrokers(_ cluster: TestCluster) async throws -> [[PrometheusText.Sample]] {
        var all: [[PrometheusText.Sample]] = []
        for web in cluster.local.brokerWebs { all.append(try await scrape(port: web.port)) }
        return all
    }

    @Test func countersEqualWhatWasSentAndConsumed() async throws {
        try await TestCluster.with(brokerCount: 2, topics: [.init(name: Self.topic, partitions: 2)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish([Self.topic])
            try await withTimeout(.seconds(60), "sending") {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for lane in 0..<8 {
                        group.addTask {
                            for i in stride(from: lane, to: Self.count, by: 8) {
                                let body = (0..<Self.size).map { UInt8(truncatingIfNeeded: $0 &+ i) }
                                try await producer.send(Message(body: body), to: Self.topic)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            await producer.shutdown()

            var brokers = try await Self.scrapeBrokers(cluster)
            let labels = ["topic": Self.topic]
            #expect(brokers.reduce(0) { $0 + $1.sum("tubemq_broker_msg_in_total", labels) } == Double(Self.count))
            #expect(
                brokers.reduce(0) { $0 + $1.sum("tubemq_broker_msg_in_bytes_total", labels) }
                    == Double(Self.count * Self.size)
            )
            #expect(
                brokers.reduce(0) {
                    $0 + $1.sum("tubemq_broker_replies_total", ["method": "sendMessageP2B", "errCode": "200"])
                } == Double(Self.count)
            )
            #expect(brokers.allSatisfy { $0.sum("tubemq_broker_msg_out_total", labels) == 0 })
            // Every broker has its own registry: each counts only what it stored.
            for (index, samples) in brokers.enumerated() {
                let stored = try await cluster.brokers[index].store.offsetRange(
                    topic: Self.topic,
                    partitionID: 0
                )
                #expect(
                    samples.sum("tubemq_broker_msg_in_total", labels) == Double(stored.max / StorageOffset.entrySize)
                )
                #expect(samples.contains("tubemq_broker_append_duration_seconds_count"))
            }

            let consumer = try await PullConsumer(
                configuration: cluster.consumerConfiguration(group: Self.group, topics: [Self.topic]),
                logger: TestCluster.logger
            )
            let consumed = try await withTimeout(.seconds(60), "consuming") { () -> Int in
                var seen = 0
                for try await batch in consumer {
                    seen += batch.messages.count
                    try await batch.confirm()
                    if seen >= Self.count { break }
                }
                return seen
            }
            #expect(consumed == Self.count)
            brokers = try await Self.scrapeBrokers(cluster)
            // Fetches held as long polls are answered outside the send batches: they are counted too.
            #expect(
                brokers.reduce(0) {
                    $0 + $1.sum("tubemq_broker_replies_total", ["method": "getMessagesC2B", "errCode": "200"])
                } > 0
            )
            #expect(brokers.reduce(0) { $0 + $1.sum("tubemq_broker_msg_out_total", labels) } == Double(Self.count))
            #expect(
                brokers.reduce(0) { $0 + $1.sum("tubemq_broker_msg_out_bytes_total", labels) }
                    == Double(Self.count * Self.size)
            )
            try await eventually("the group's lag reaches 0 once its last batch is committed") {
                let samples = try await Self.scrapeBrokers(cluster).flatMap { $0 }
                let lag = samples.filter { $0.name == "tubemq_broker_consumer_lag" && $0.labels["group"] == Self.group }
                return lag.count == 2 && lag.allSatisfy { $0.value == 0 }
            }
            await consumer.shutdown()
            // 10 more messages: the group's lag is 10, not 10 per partition (2 partitions share a store).
            let more = try await Producer(configuration: cluster.producerConfiguration(), logger: TestCluster.logger)
            try await more.publish([Self.topic])
            for i in 0..<10 { try await more.send(Message(body: [UInt8(i)]), to: Self.topic) }
            await more.shutdown()
            let lagged = try await Self.scrapeBrokers(cluster).flatMap { $0 }
                .filter { $0.name == "tubemq_broker_consumer_lag" && $0.labels["group"] == Self.group }
            #expect(lagged.reduce(0) { $0 + $1.value } == 10, "\(lagged)")

            let master = try await Self.scrape(port: cluster.local.masterWeb.port)
            #expect(master.sum("tubemq_master_broker_online_cnt") == 2)
            #expect(master.sum("tubemq_master_topic_cnt") == 1)
            #expect(master.sum("tubemq_master_ha_role", ["role": "active"]) == 1)
            #expect(
                master.sum("tubemq_master_rpc_calls_total", ["method": "producerRegisterP2M", "errCode": "200"]) == 2
            )
            #expect(master.sum("tubemq_master_svr_balance_total") >= 1)
        }
    }
}

/// Runs `body`, failing (and cancelling it) after `duration`.
func withTimeout<T: Sendable>(
    _ duration: Duration,
    _ what: String,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: duration)
            throw TestTimeout(description: "\(what) did not finish within \(duration)")
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw TestTimeout(description: "no result") }
        return result
    }
}
