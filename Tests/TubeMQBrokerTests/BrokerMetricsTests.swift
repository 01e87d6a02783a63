import Foundation
import Testing
import TubeMQBroker
import TubeMQCore
import TubeMQRPC
import TubeMQStorage
import TubeMQTestKit

/// A broker's `/metrics` text after known calls, read with Prometheus' reference parser.
@Suite struct BrokerMetricsTests {
    static let topic = "t_mx"

    @Test func twoBrokersInOneProcessCountOnlyTheirOwnCalls() async throws {
        try await BrokerTestSupport.withBroker(topics: [BrokerTopic(name: Self.topic)]) { first, client in
            try await BrokerTestSupport.withBroker(topics: [BrokerTopic(name: Self.topic)]) { second, _ in
                let calls = BrokerCalls(client: client, port: first.port)
                for i in 0..<5 {
                    let reply = try await calls.send(
                        Self.topic,
                        0,
                        Message(body: Array(repeating: UInt8(i), count: 10 + i))
                    )
                    #expect(reply.success)
                }
                let refused = try await calls.send("t_none", 0, Message(body: [1]))
                #expect(refused.errCode == 403)

                let samples = try await PrometheusText.parse(await first.metricsText())
                let labels = ["topic": Self.topic]
                #expect(samples.sum("tubemq_broker_msg_in_total", labels) == 5)
                #expect(samples.sum("tubemq_broker_msg_in_bytes_total", labels) == 10 + 11 + 12 + 13 + 14)
                #expect(
                    samples.sum("tubemq_broker_replies_total", ["method": "sendMessageP2B", "errCode": "200"]) == 5
                )
                #expect(
                    samples.sum("tubemq_broker_replies_total", ["method": "sendMessageP2B", "errCode": "403"]) == 1
                )
                #expect(samples.sum("tubemq_broker_append_duration_seconds_count") == 5)
                #expect(samples.sum("tubemq_broker_connections") >= 1)
                #expect(samples.sum("tubemq_broker_cache_msg_count", labels) == 5, "nothing flushed yet")

                let other = try await PrometheusText.parse(await second.metricsText())
                #expect(other.sum("tubemq_broker_msg_in_total", labels) == 0)
                #expect(!other.contains("tubemq_broker_replies_total"))
                #expect(other.contains("tubemq_broker_file_total_data_size_bytes", labels))

                // After a flush: the bytes written, the flush latency, the disk and memory gauges.
                try await first.store.topic(Self.topic)?.flush()
                let flushed = try await PrometheusText.parse(await first.metricsText())
                #expect(flushed.sum("tubemq_broker_file_flushed_msg_total", labels) == 5)
                #expect(flushed.sum("tubemq_broker_file_flushed_data_bytes_total", labels) > 60)
                #expect(flushed.sum("tubemq_broker_cache_flush_dlt_seconds_count") >= 1)
                #expect(flushed.sum("tubemq_broker_cache_msg_count", labels) == 0)
                #expect(flushed.sum("tubemq_broker_file_total_data_size_bytes", labels) > 60)
            }
        }
    }
}
