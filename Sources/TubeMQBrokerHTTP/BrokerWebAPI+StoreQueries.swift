import TubeMQBroker
import TubeMQCore
import TubeMQStorage
import TubeMQWebSupport

/// Store queries: `admin_query_broker_all_store_info` and `admin_query_pubinfo` (TubeMQ's shapes), and
/// `admin_query_broker_memstore_info` (the memory blocks; ours, see `docs/admin-webapi.md`).
extension BrokerWebAPI {
    static let storeQueryMethods: [BrokerWebMethod] = [
        BrokerWebMethod("admin_query_broker_all_store_info") { api, p throws(BrokerWebError) in
            try await api.queryAllStoreInfo(p)
        },
        BrokerWebMethod("admin_query_broker_memstore_info") { api, p throws(BrokerWebError) in
            try await api.queryMemoryStoreInfo(p)
        },
        BrokerWebMethod("admin_query_pubinfo") { api, p throws(BrokerWebError) in try await api.queryPublishInfo(p) },
    ]

    /// The stores of the `topicName` list (every topic when absent), grouped by topic.
    private func stores(_ p: WebParameters) async throws(BrokerWebError) -> [(topic: String, stores: [StoreInfo])] {
        let topics: [String]
        do throws(WebParameterError) {
            topics = try p.list(.topicName)
        } catch {
            throw BrokerWebError(error)
        }
        let all = await broker.storeInfo(topics: Set(topics))
        var grouped: [(topic: String, stores: [StoreInfo])] = []
        for info in all {
            if grouped.last?.topic == info.topic {
                grouped[grouped.count - 1].stores.append(info)
            } else {
                grouped.append((info.topic, [info]))
            }
        }
        return grouped
    }

    /// `admin_query_broker_all_store_info`: per topic (`index` from 1), per store its partition
    /// count, data size and data offsets, and per partition the index offsets and index size (the
    /// partitions of a store share one index, as in TubeMQ). Data-file offsets are -1: this broker
    /// addresses messages by index offset only.
    func queryAllStoreInfo(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let grouped = try await stores(p)
        let items: [JSON] = grouped.enumerated().map { index, entry in
            .object([
                "index": .int(index + 1), "topicName": .string(entry.topic),
                "storeInfo": .array(
                    entry.stores.map { store in
                        .object([
                            "storeId": .int(store.storeIndex), "numPartition": .int(store.partitionCount),
                            "minDataOffset": -1, "maxDataOffset": -1,
                            "sizeInBytes": .int(Int(store.usage.diskBytes - store.usage.indexBytes)),
                            "partitionInfo": .array(
                                (0..<store.partitionCount).map { partition in
                                    .object([
                                        "partitionId": .int(partition), "minOffset": .int(Int(store.range.min)),
                                        "maxOffset": .int(Int(store.range.max)),
                                        "sizeInBytes": .int(Int(store.usage.indexBytes)),
                                    ])
                                }
                            ),
                        ])
                    }
                ),
            ])
        }
        return BrokerEnvelope.dataSet(items)
    }

    /// `admin_query_broker_memstore_info`: per topic and store, what its memory blocks hold now
    /// (appended, not yet written to the files). TubeMQ's current broker answers this method with a
    /// deprecation notice; ours reports the memory blocks.
    func queryMemoryStoreInfo(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let grouped = try await stores(p)
        let items: [JSON] = grouped.enumerated().map { index, entry in
            .object([
                "index": .int(index + 1), "topicName": .string(entry.topic),
                "memStoreInfo": .array(
                    entry.stores.map { store in
                        .object([
                            "storeId": .int(store.storeIndex), "cachedMsgCount": .int(Int(store.usage.memoryMessages)),
                            "cachedMsgSize": .int(Int(store.usage.memoryBytes)),
                        ])
                    }
                ),
            ])
        }
        return BrokerEnvelope.dataSet(items)
    }

    /// `admin_query_pubinfo`: where publishing stands in each topic here (of the `topicName` list, or
    /// every topic): per partition, by its TubeMQ id (`store × 10000 + index`), the index offsets of
    /// its store (`offsetMin`, `offsetMax`: the partitions of a store share one index) and the data
    /// offsets (`dataMin`, `dataMax`: -1, this broker addresses messages by index offset only).
    func queryPublishInfo(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let items: [JSON] = try await stores(p).map { entry in
            var partitions: [JSON] = []
            for store in entry.stores {
                for index in 0..<store.partitionCount {
                    let partitionID = PartitionID.make(storeIndex: Int32(store.storeIndex), index: Int32(index))
                    partitions.append(
                        .object([
                            "partitionId": .int(partitionID), "offsetMin": .number(store.range.min),
                            "offsetMax": .number(store.range.max), "dataMin": -1, "dataMax": -1,
                        ])
                    )
                }
            }
            return .object([
                "topicName": .string(entry.topic), "offsetInfo": .array(partitions),
                "itemCount": .int(partitions.count),
            ])
        }
        return BrokerEnvelope.dataSet(items, countKey: "dataCount")
    }
}
