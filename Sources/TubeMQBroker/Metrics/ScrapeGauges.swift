import Metrics
import Prometheus
import TubeMQStorage

/// The broker's gauges computed when `/metrics` is read, by series, so that a series whose topic
/// or group offset went away is removed from the registry.
struct ScrapeGauges {
    var usage: [String: TopicGauges] = [:]
    var lag: [LagKey: Meter] = [:]

    struct TopicGauges {
        let diskBytes: Meter
        let memoryBytes: Meter
        let memoryMessages: Meter

        init(topic: String, factory: PrometheusMetricsFactory) {
            let dimensions = [("topic", topic)]
            diskBytes = Meter(label: BrokerMetricName.diskBytes, dimensions: dimensions, factory: factory)
            memoryBytes = Meter(label: BrokerMetricName.memoryBytes, dimensions: dimensions, factory: factory)
            memoryMessages = Meter(label: BrokerMetricName.memoryMessages, dimensions: dimensions, factory: factory)
        }

        func destroy() {
            diskBytes.destroy()
            memoryBytes.destroy()
            memoryMessages.destroy()
        }
    }
}

/// A consumer-lag series' labels: a group's lag in one storage instance of a topic.
struct LagKey: Hashable {
    let group: String
    let topic: String
    let store: Int32
}

extension BrokerMetrics {
    /// Sets the per-topic storage gauges and the lag gauges to `usages` and `lags`, removing series
    /// no longer present.
    func updateGauges(usages: [String: StorageUsage], lags: [LagKey: Int64]) {
        let factory = self.factory
        gauges.withLock { gauges in
            for (topic, gauge) in gauges.usage where usages[topic] == nil {
                gauge.destroy()
                gauges.usage[topic] = nil
            }
            for (topic, usage) in usages {
                let gauge = gauges.usage[topic] ?? ScrapeGauges.TopicGauges(topic: topic, factory: factory)
                gauges.usage[topic] = gauge
                gauge.diskBytes.set(usage.diskBytes)
                gauge.memoryBytes.set(usage.memoryBytes)
                gauge.memoryMessages.set(usage.memoryMessages)
            }
            for (key, meter) in gauges.lag where lags[key] == nil {
                meter.destroy()
                gauges.lag[key] = nil
            }
            for (key, lag) in lags {
                let meter =
                    gauges.lag[key]
                    ?? Meter(
                        label: BrokerMetricName.consumerLag,
                        dimensions: [
                            ("group", key.group), ("topic", key.topic), ("store", String(key.store)),
                        ],
                        factory: factory
                    )
                gauges.lag[key] = meter
                meter.set(lag)
            }
        }
    }
}
