import Testing
import TubeMQStorage
import TubeMQWebSupport

/// `admin_get_group_detail_info` (also `admin_query_broker_all_consumer_info`): the consumers
/// registered on the broker and where their groups stand.
@Suite struct ConsumerWebAPITests {
    static let entry = StorageOffset.entrySize

    @Test func detailListsEachHeldPartitionWithItsOffsets() async throws {
        try await BrokerFixture.with { fixture in
            let none = try await fixture.get("method=admin_get_group_detail_info")
            #expect(none.text == #"{"result":true,"errCode":0,"errMsg":"Success!","dataSet":[],"totalCnt":0}"#)

            try await fixture.send(3)
            try await fixture.register()
            try await fixture.register(partition: 1)
            _ = try await fixture.fetch()
            #expect(try await fixture.commit() == 3 * Self.entry)
            _ = try await fixture.fetch(partition: 1)

            let detail = try await fixture.get("method=admin_get_group_detail_info&groupName=\(BrokerFixture.group)")
            #expect(detail.keys == ["result", "errCode", "errMsg", "dataSet", "totalCnt"])
            #expect(detail.number("totalCnt") == 2)
            let items = detail.objects("dataSet")
            #expect(items.map { $0.number("partitionId") } == [0, 1])
            let first = try #require(items.first)
            #expect(
                first.keys == [
                    "index", "groupName", "topicName", "partitionId", "consumerId", "isRegOk", "lastRegTime",
                    "isFilterConsume", "qryPriorityId", "curDataLimitInM", "curFreqLimit", "totalSentSec",
                    "isSupportLimit", "sentUnitSec", "totalSentMin", "sentUnit", "isMessageStoreOk", "tmpOffset",
                    "minOffset", "maxOffset", "zkOffset", "minDataOffset", "maxDataOffset",
                ]
            )
            #expect(first.number("index") == 1)
            #expect(first.string("consumerId") == BrokerFixture.consumer)
            #expect(first.bool("isRegOk") == true)
            #expect((first.number("lastRegTime") ?? 0) > 0)
            #expect(first.bool("isFilterConsume") == false)
            #expect(first.number("zkOffset") == 3 * Self.entry)
            #expect(first.number("tmpOffset") == -1, "the batch was confirmed")
            #expect(first.number("maxOffset") == 3 * Self.entry)
            // Partition 1 (same store) has a batch in flight, from where its first get started.
            let second = try #require(items.last)
            #expect(second.number("zkOffset") == 0)
            #expect(second.number("tmpOffset") == 3 * Self.entry)

            let alias = try await fixture.get("method=admin_query_broker_all_consumer_info")
            #expect(alias.objects("dataSet").count == 2)
            #expect(alias.objects("dataSet").map { $0.number("zkOffset") } == items.map { $0.number("zkOffset") })
            let other = try await fixture.get("method=admin_get_group_detail_info&groupName=g_other")
            #expect(other.number("totalCnt") == 0)

            try await fixture.unregister()
            let after = try await fixture.get("method=admin_get_group_detail_info")
            #expect(after.objects("dataSet").map { $0.number("partitionId") } == [1], "\(after.text)")
        }
    }

    @Test func badGroupNamesAreRefused() async throws {
        try await BrokerFixture.with { fixture in
            let bad = try await fixture.get("method=admin_get_group_detail_info&groupName=9bad")
            #expect(bad.bool("result") == false)
            #expect(bad.number("errCode") == 400)
            #expect(bad.string("errMsg")?.hasPrefix("Bad request from server: Parameter groupName") == true)
            let tooMany = (0...100).map { "g\($0)" }.joined(separator: ",")
            let many = try await fixture.get("method=admin_query_broker_all_consumer_info&groupName=\(tooMany)")
            #expect(many.bool("result") == false)
        }
    }
}
