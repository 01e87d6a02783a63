import Foundation
import Testing
import TubeMQCore
import TubeMQStorage
import TubeMQWebSupport

/// `admin_snapshot_message`: the newest messages of a partition, without a consumer group.
@Suite struct SnapshotWebAPITests {
    static func typed(_ body: String, _ type: String) -> TubeMQCore.Message {
        var message = TubeMQCore.Message(body: Array(body.utf8))
        message.messageType = type
        return message
    }

    static func bodies(_ reply: JSONObject) -> [String] {
        reply.objects("dataSet").compactMap { $0.string("data") }.compactMap { Data(base64Encoded: $0) }.map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    @Test func snapshotReturnsTheNewestMessagesWithTheirAttributes() async throws {
        try await BrokerFixture.with { fixture in
            let empty = try await fixture.get("method=admin_snapshot_message&topicName=t_off")
            #expect(
                empty.text
                    == #"{"result":false,"errCode":401,"errMsg":"Could not find message at position by topic (t_off)!"}"#
            )
            try await fixture.send(5)
            try await fixture.send([Self.typed("a1", "ta"), Self.typed("b1", "tb"), Self.typed("a2", "ta")])
            try await fixture.send(2, partition: 1)

            let latest = try await fixture.get("method=admin_snapshot_message&topicName=t_off&partitionId=0")
            #expect(latest.keys == ["result", "errCode", "errMsg", "dataSet"])
            #expect(Self.bodies(latest) == ["a1", "b1", "a2"], "three by default, oldest first")
            let first = try #require(latest.objects("dataSet").first)
            #expect(first.keys == ["index", "data", "attr"])
            #expect(first.number("index") == 0)
            #expect(first.string("attr") == "$msgType$=ta")

            let more = try await fixture.get("method=admin_snapshot_message&topic=t_off&pid=0&cnt=6")
            #expect(Self.bodies(more) == ["m2", "m3", "m4", "a1", "b1", "a2"])
            #expect(more.objects("dataSet").first?.string("attr") == "")
            let filtered = try await fixture.get(
                "method=admin_snapshot_message&topicName=t_off&msgCount=5&filterConds=ta"
            )
            #expect(Self.bodies(filtered) == ["a1", "a2"], "the first partition when none is named")
            let other = try await fixture.get("method=admin_snapshot_message&topicName=t_off&partitionId=1&msgCount=50")
            #expect(Self.bodies(other) == ["m0", "m1"], "only the partition's own messages")

            // Nothing is booked: no group, no offset.
            let groups = try await fixture.get("method=admin_query_group")
            #expect(groups.objects("dataSet").first?.number("groupCount") == 0)
        }
    }

    @Test func badInputsAreRefused() async throws {
        try await BrokerFixture.with { fixture in
            try await fixture.send(1)
            let cases: [(String, String)] = [
                ("method=admin_snapshot_message", "Parameter topicName is missing or value is blank!"),
                (
                    "method=admin_snapshot_message&topicName=t_off&msgCount=51",
                    "Over max allowed msgCount value, allowed count is 50!"
                ),
                ("method=admin_snapshot_message&topicName=t_off&msgCount=0", "Parameter msgCount value must be >= 1!"),
                (
                    "method=admin_snapshot_message&topicName=t_off&msgCount=x",
                    "Parameter msgCount value x must be an integer!"
                ),
                ("method=admin_snapshot_message&topicName=t_none", "topic t_none is not served by this broker"),
                (
                    "method=admin_snapshot_message&topicName=t_off&partitionId=7",
                    "topic t_off has no partition 7 on this broker"
                ),
                (
                    "method=admin_snapshot_message&topicName=t_off&partitionId=-2",
                    "Parameter partitionId value must be >= -1!"
                ),
            ]
            for (query, message) in cases {
                let reply = try await fixture.get(query)
                #expect(reply.bool("result") == false, "\(query)")
                #expect(reply.number("errCode") == 400, "\(query)")
                #expect(reply.string("errMsg") == "Bad request from server: \(message)", "\(query)")
            }
            let badFilter = try await fixture.get("method=admin_snapshot_message&topicName=t_off&filterConds=a%20b")
            #expect(badFilter.bool("result") == false)
        }
    }

    @Test func aSnapshotKeepsAtMostItsByteBudget() async throws {
        try await BrokerFixture.with { fixture in
            // Three messages of 600 KiB: the budget (1 MiB) holds one of them only, the newest.
            let big = (0..<3).map { index in
                TubeMQCore.Message(body: [UInt8](repeating: UInt8(ascii: "a") + UInt8(index), count: 600 * 1024))
            }
            try await fixture.send(big)
            let reply = try await fixture.get("method=admin_snapshot_message&topicName=t_off&msgCount=3")
            let bodies = Self.bodies(reply)
            #expect(bodies.count == 1)
            #expect(bodies.first?.first == "c")
        }
    }
}
