import TubeMQCore
import TubeMQStorage

extension BrokerServer {
    /// `/metrics`: refreshes the gauges computed on demand (storage usage per topic, consumer lag
    /// per group and partition, connections, consumers online) and renders the broker's registry in
    /// the Prometheus text format.
    public func metricsText() async -> String {
        var usages: [String: StorageUsage] = [:]
        for name in store.topicNames {
            guard let topic = store.topic(name) else { continue }
            usages[name] = await topic.usage
        }
        // The partitions of a storage instance share its index, and a partition's offset is a position
        // in it: each partition's distance to the end counts the other partitions' messages too. So the
        // lag is per instance, from the group's least advanced partition there: what it has not read.
        var ranges: [LagKey: OffsetRange] = [:]
        var least: [LagKey: Int64] = [:]
        for (key, committed) in await store.offsets.allCommittedOffsets() where usages[key.topic] != nil {
            let instance = LagKey(
                group: key.group,
                topic: key.topic,
                store: PartitionID.storeIndex(of: key.partitionID)
            )
            if ranges[instance] == nil {
                guard let read = try? await store.offsetRange(topic: key.topic, partitionID: key.partitionID) else {
                    continue
                }
                ranges[instance] = read
            }
            least[instance] = min(least[instance] ?? committed, committed)
        }
        var lags: [LagKey: Int64] = [:]
        for (instance, committed) in least {
            guard let range = ranges[instance] else { continue }
            lags[instance] = max(0, range.max - max(committed, range.min)) / StorageOffset.entrySize
        }
        metrics.connections.set(rpc.connectionCount)
        metrics.consumersOnline.set(consumersOnline)
        metrics.updateGauges(usages: usages, lags: lags)
        return metrics.exposition()
    }

    /// How many consumers hold partitions on this broker.
    var consumersOnline: Int { Set(registry.holdings().map(\.holding.consumerID)).count }

    /// The statistics of `admin_get_metrics_info` (``BrokerMetrics/report(reset:)``), with the
    /// consumers and connections of now.
    public func statsReport(reset: Bool) -> BrokerStatsReport {
        var report = metrics.report(reset: reset)
        report.serviceStatus.consumersOnline = consumersOnline
        report.serviceStatus.connections = rpc.connectionCount
        return report
    }
}
