import Foundation
import Testing
import TubeMQStorage
import TubeMQWebSupport

/// The broker webapi's offset methods (admin-api.md §5.6), each followed by the get it affects.
@Suite struct OffsetWebAPITests {
    static let entry = StorageOffset.entrySize

    @Test func envelopeAndValidation() async throws {
        try await BrokerFixture.with { fixture in
            let missing = try await fixture.get("type=op_query")
            #expect(missing.text == #"{"result":false,"errCode":400,"errMsg":"Please take with method parameter! "}"#)
            let unknown = try await fixture.get("method=admin_nothing")
            #expect(unknown.text == #"{"result":false,"errCode":400,"errMsg":"Unsupported method admin_nothing"}"#)
            let noGroup = try await fixture.get("method=admin_manual_set_current_offset&topicName=t_off&modifyUser=ops")
            #expect(
                noGroup.string("errMsg") == "Bad request from server: Parameter groupName is missing or value is blank!"
            )
            let unknownTopic = try await fixture.get(
                "method=admin_manual_set_current_offset&topicName=t_x&groupName=g_off&modifyUser=ops&pid=0&offset=0"
            )
            #expect(unknownTopic.bool("result") == false)
            let empty = try await fixture.get("method=admin_query_group_offset")
            #expect(empty.text == #"{"result":true,"errCode":0,"errMsg":"Success!","dataSet":[],"totalCnt":0}"#)
        }
    }

    @Test func aGroupWhoseConsumerLeftIsStillListedWithItsOffsets() async throws {
        try await BrokerFixture.with { fixture in
            #expect(try await fixture.sendAndConsume(3) == 3 * Self.entry)
            try await fixture.unregister()
            // No group named: every group booked here, the one without a consumer included.
            let all = try await fixture.get("method=admin_query_group_offset")
            let group = try #require(all.objects("dataSet").first, "\(all)")
            #expect(group.string("groupName") == BrokerFixture.group)
            let partition = group.objects("subInfo").first?.objects("offsets").first
            #expect(partition?.number("curOffset") == 3 * Self.entry)
        }
    }

    @Test func queryAndResetByOffsetThenGet() async throws {
        try await BrokerFixture.with { fixture in
            try await fixture.send(4)
            try await fixture.register()
            let first = try await fixture.fetch()
            #expect(first.offset == 0)
            #expect(first.bodies == ["m0", "m1", "m2", "m3"])
            #expect(try await fixture.commit() == 4 * Self.entry)

            let query = try await fixture.get("method=admin_query_group_offset&groupName=g_off")
            #expect(query.keys == ["result", "errCode", "errMsg", "dataSet", "totalCnt"])
            let group = try #require(query.objects("dataSet").first)
            #expect(group.keys == ["groupName", "subInfo", "topicCount"])
            let topic = try #require(group.objects("subInfo").first)
            #expect(topic.string("topicName") == "t_off")
            #expect(topic.number("partCount") == 2)
            let partition = try #require(topic.objects("offsets").first)
            #expect(
                partition.keys == [
                    "partitionId", "curOffset", "flightOffset", "curDataOffset", "offsetLag", "dataLag", "offsetMax",
                    "dataMax",
                ]
            )
            #expect(partition.number("curOffset") == 4 * Self.entry)
            #expect(partition.number("offsetMax") == 4 * Self.entry)
            #expect(partition.number("offsetLag") == 0)

            // A batch is in flight (tentative) when the reset comes: the next get must still start at the reset.
            try await fixture.send(1)
            _ = try await fixture.fetch()
            let reset = try await fixture.get(
                "method=admin_manual_set_current_offset&topic=t_off&group=g_off&modifyUser=ops&pid=0&offset=\(Self.entry)"
            )
            #expect(reset.text == #"{"result":true,"errCode":0,"errMsg":"OK"}"#)
            let after = try await fixture.fetch(confirmingLast: true)
            #expect(after.offset == Self.entry)
            #expect(after.bodies == ["m1", "m2", "m3", "m0"])

            let misaligned = try await fixture.get(
                "method=admin_manual_set_current_offset&topic=t_off&group=g_off&modifyUser=ops&pid=0&offset=5"
            )
            #expect(misaligned.bool("result") == false)
            let beyond = try await fixture.get(
                "method=admin_manual_set_current_offset&topic=t_off&group=g_off&modifyUser=ops&pid=0&offset=\(100 * Self.entry)"
            )
            #expect(beyond.bool("result") == false)

            let single = try await fixture.get(
                "method=admin_query_offset&topicName=t_off&groupName=g_off&partitionId=0"
            )
            #expect(single.objects("data").first?.number("maxOffset") == 5 * Self.entry)

            let json = "%7B%221%3At_off%3A0%22%3A\(2 * Self.entry)%2C%222%3At_off%3A0%22%3A0%7D"
            let manual = try await fixture.get(
                "method=admin_set_offset&groupName=g_off&modifyUser=ops&manualSet=true&offsetJsonInfo=\(json)"
            )
            #expect(manual.bool("result") == true, "\(manual.text)")
            #expect(try await fixture.fetch().offset == 2 * Self.entry, "entries of other brokers are ignored")

            let latest = try await fixture.get(
                "method=admin_set_offset&groupName=g_off&modifyUser=ops&manualSet=false&topicName=t_off"
            )
            #expect(latest.bool("result") == true)
            let atEnd = await fixture.broker.groupOffsets(group: "g_off", topics: ["t_off"]).first
            #expect(atEnd?.committed == 5 * Self.entry)

            let removed = try await fixture.get("method=admin_rmv_offset&groupName=g_off&modifyUser=ops")
            #expect(removed.text == #"{"result":true,"errCode":0,"errMsg":"OK","data":[]}"#)
            #expect(try await fixture.fetch().offset == 0)
        }
    }

    @Test func resetByTimeThenGet() async throws {
        try await BrokerFixture.with { fixture in
            try await fixture.send(2)
            // Move into the next wall-clock second: recordTime has one-second resolution.
            let now = Date().timeIntervalSince1970
            try await Task.sleep(for: .milliseconds(Int((ceil(now) - now) * 1000) + 20))
            let mark = Int64(Date().timeIntervalSince1970 * 1000)
            try await fixture.send(2)
            try await fixture.register()
            _ = try await fixture.fetch()
            #expect(try await fixture.commit() == 4 * Self.entry)

            let noTime = try await fixture.get("method=admin_set_offset_by_time&groupName=g_off&modifyUser=ops")
            #expect(
                noTime.string("errMsg") == "Bad request from server: Parameter recordTime is missing or value is blank!"
            )
            let badEnd = try await fixture.get(
                "method=admin_set_offset_by_time&groupName=g_off&modifyUser=ops&recordTime=\(WebDate.format(mark))&endTime=20000101000000"
            )
            #expect(badEnd.bool("result") == false)
            let unknownGroup = try await fixture.get(
                "method=admin_set_offset_by_time&groupName=g_none&modifyUser=ops&recordTime=\(WebDate.format(mark))"
            )
            #expect(unknownGroup.string("errMsg") == "Bad request from server: Not found history offset value!")

            let reset = try await fixture.get(
                "method=admin_set_offset_by_time&groupName=g_off&modifyUser=ops&recordTime=\(WebDate.format(mark))&topicName=t_off"
            )
            #expect(reset.keys == ["result", "errCode", "errMsg", "data", "count"])
            let item = try #require(reset.objects("data").first)
            #expect(item.keys == ["groupName", "before", "after"])
            let after = try #require(item.objects("after").first?.objects("offsets").first)
            #expect(after.number("curOffset") == 2 * Self.entry)
            let next = try await fixture.fetch()
            #expect(next.offset == 2 * Self.entry)
            #expect(next.bodies == ["m0", "m1"], "the two messages sent after the mark")
        }
    }
}

extension JSONObject {
    var text: String { JSON.object(self).text }
}
