import Foundation
import Testing
import TubeMQWebSupport

@testable import TubeMQStorage

/// The broker webapi's store queries: what each storage instance holds on disk and in memory.
@Suite struct StoreQueryTests {
    @Test func allStoreInfoReportsEveryStoreWithItsOffsetsAndSizes() async throws {
        try await BrokerFixture.with { fixture in
            let before = try await fixture.get("method=admin_query_broker_all_store_info")
            #expect(before.keys == ["result", "errCode", "errMsg", "dataSet", "totalCnt"])
            let topic = try #require(before.objects("dataSet").first)
            #expect(topic.keys == ["index", "topicName", "storeInfo"])
            #expect(topic.number("index") == 1)
            #expect(topic.string("topicName") == BrokerFixture.topic)
            let empty = try #require(topic.objects("storeInfo").first)
            #expect(
                empty.keys == [
                    "storeId", "numPartition", "minDataOffset", "maxDataOffset", "sizeInBytes", "partitionInfo",
                ]
            )
            #expect(empty.number("numPartition") == 2)
            #expect(empty.objects("partitionInfo").map { $0.number("maxOffset") } == [0, 0])

            try await fixture.send(5)
            try await fixture.broker.store.topic(BrokerFixture.topic)?.flush()
            let after = try await fixture.get(
                "method=admin_query_broker_all_store_info&topicName=\(BrokerFixture.topic)"
            )
            let store = try #require(after.objects("dataSet").first?.objects("storeInfo").first)
            let partitions = store.objects("partitionInfo")
            #expect(partitions.map { $0.number("partitionId") } == [0, 1])
            #expect(partitions.allSatisfy { $0.number("maxOffset") == 5 * StorageOffset.entrySize })
            #expect(partitions.allSatisfy { $0.number("sizeInBytes") == 5 * Int64(IndexEntry.size) })
            #expect((store.number("sizeInBytes") ?? 0) > 0, "the data file holds the five messages")

            let none = try await fixture.get("method=admin_query_broker_all_store_info&topicName=nothing")
            #expect(none.text == #"{"result":true,"errCode":0,"errMsg":"Success!","dataSet":[],"totalCnt":0}"#)
        }
    }

    @Test func memStoreInfoReportsWhatTheMemoryBlocksHold() async throws {
        try await BrokerFixture.with { fixture in
            try await fixture.send(3)
            let held = try await fixture.get("method=admin_query_broker_memstore_info")
            let store = try #require(held.objects("dataSet").first?.objects("memStoreInfo").first)
            #expect(store.keys == ["storeId", "cachedMsgCount", "cachedMsgSize"])
            let flushed = (store.number("cachedMsgCount") ?? -1) == 0
            // Either still in the memory block, or already flushed by the instance's own timer.
            #expect(flushed || store.number("cachedMsgCount") == 3)
            try await fixture.broker.store.topic(BrokerFixture.topic)?.flush()
            let after = try await fixture.get("method=admin_query_broker_memstore_info")
            let emptied = try #require(after.objects("dataSet").first?.objects("memStoreInfo").first)
            #expect(emptied.number("cachedMsgCount") == 0)
            #expect(emptied.number("cachedMsgSize") == 0)
        }
    }

    @Test func pubInfoReportsEachPartitionsPublishedOffsets() async throws {
        try await BrokerFixture.with { fixture in
            try await fixture.send(4)
            let reply = try await fixture.get("method=admin_query_pubinfo")
            #expect(reply.keys == ["result", "errCode", "errMsg", "dataSet", "dataCount"])
            #expect(reply.number("dataCount") == 1)
            let topic = try #require(reply.objects("dataSet").first)
            #expect(topic.keys == ["topicName", "offsetInfo", "itemCount"])
            #expect(topic.string("topicName") == BrokerFixture.topic)
            #expect(topic.number("itemCount") == 2)
            let partitions = topic.objects("offsetInfo")
            #expect(partitions.first?.keys == ["partitionId", "offsetMin", "offsetMax", "dataMin", "dataMax"])
            #expect(partitions.map { $0.number("partitionId") } == [0, 1])
            #expect(partitions.allSatisfy { $0.number("offsetMin") == 0 })
            #expect(partitions.allSatisfy { $0.number("offsetMax") == 4 * StorageOffset.entrySize })

            let named = try await fixture.get("method=admin_query_pubinfo&topicName=\(BrokerFixture.topic),t_other")
            #expect(named.objects("dataSet").count == 1, "topics not served here are not listed")
            let bad = try await fixture.get("method=admin_query_pubinfo&topicName=1bad")
            #expect(bad.bool("result") == false)
            #expect(bad.number("errCode") == 400)
        }
    }
}
