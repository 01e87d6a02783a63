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
        var lags: [LagKey: Int64] = [:]
        var ranges: [String: OffsetRange] = [:]
        for (key, committed) in await store.offsets.allCommittedOffsets() where usages[key.topic] != nil {
            let instance = "\(key.topic)#\(PartitionID.storeIndex(of: key.partitionID))"
            let range: OffsetRange
            if let known = ranges[instance] {
                range = known
            } else if let read = try? await store.offsetRange(topic: key.topic, partitionID: key.partitionID) {
                range = read
                ranges[instance] = read
            } else {
                continue
            }
            let lag = max(0, range.max - max(committed, range.min)) / StorageOffset.entrySize
            lags[LagKey(group: key.group, topic: key.topic, partitionID: key.partitionID)] = lag
        }
        metrics.connections.set(rpc.connectionCount)
        metrics.consumersOnline.set(Set(registry.holdings().map { $0.1 }).count)
        metrics.updateGauges(usages: usages, lags: lags)
        return metrics.exposition()
    }
}
