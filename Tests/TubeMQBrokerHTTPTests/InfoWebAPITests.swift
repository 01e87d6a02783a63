import Testing
import TubeMQStorage
import TubeMQWebSupport

/// The broker webapi's listing methods (admin-api.md §5.6 "Others") and `admin_clone_offset`.
@Suite struct InfoWebAPITests {
    static let entry = StorageOffset.entrySize

    @Test func methodsVersionGroupsAndRegistrations() async throws {
        try await BrokerFixture.with { fixture in
            let methods = try await fixture.get("method=admin_get_methods")
            #expect(methods.keys == ["result", "errCode", "errMsg", "dataSet", "totalCnt"])
            let names = methods.objects("dataSet").compactMap { $0.string("method") }
            #expect(names.contains("admin_clone_offset") && names.contains("admin_query_group_offset"))
            #expect(methods.objects("dataSet").first?.number("id") == 1)
            #expect(methods.number("totalCnt") == Int64(names.count))

            let version = try await fixture.get("method=admin_query_server_version")
            #expect(version.string("errMsg") == "Ok")
            #expect(version.objects("data").first?.string("version") == ServerVersion.text)

            let none = try await fixture.get("method=admin_query_group")
            #expect(
                none.text
                    == #"{"result":true,"errCode":0,"errMsg":"Success!","dataSet":[{"type":"all","groupName":[],"groupCount":0}],"dataCount":1}"#
            )
            try await fixture.send(2)
            try await fixture.register()
            _ = try await fixture.fetch()
            _ = try await fixture.commit()
            let booked = try await fixture.get("method=admin_get_booked_groupname&withDivide=true")
            let types = booked.objects("dataSet").compactMap { $0.string("type") }
            #expect(types == ["in-cache", "in-zk"], "\(booked.text)")
            #expect(booked.objects("dataSet").first?.number("groupCount") == 1, "\(booked.text)")

            let registered = try await fixture.get("method=admin_get_partition_reginfo")
            let item = try #require(registered.objects("dataSet").first, "\(registered.text)")
            #expect(item.string("Partition") == "\(BrokerFixture.group):t_off:0")
            #expect(item.string("Consumer") == BrokerFixture.consumer)
            let alias = try await fixture.get("method=admin_query_consumer_regmap")
            #expect(alias.text == registered.text)

            try await fixture.unregister()
            let divided = try await fixture.get("method=admin_query_group&withDivide=true")
            let offline = divided.objects("dataSet").last
            #expect(offline?.string("type") == "in-zk")
            #expect(offline?.number("groupCount") == 1, "a group with offsets and no consumer: \(divided.text)")
        }
    }

    @Test func cloneCopiesTheSourceGroupsCommittedOffsets() async throws {
        try await BrokerFixture.with { fixture in
            #expect(try await fixture.sendAndConsume(3) == 3 * Self.entry)

            let unknown = try await fixture.get(
                "method=admin_clone_offset&sourceGroupName=g_none&targetGroupName=g_copy&modifyUser=ops"
            )
            #expect(
                unknown.string("errMsg")
                    == "Bad request from server: Parameter sourceGroupName: g_none has not been registered on this Broker!"
            )
            let noTarget = try await fixture.get(
                "method=admin_clone_offset&sourceGroupName=\(BrokerFixture.group)&modifyUser=ops"
            )
            #expect(noTarget.bool("result") == false)
            let cloned = try await fixture.get(
                "method=admin_clone_offset&srcGroup=\(BrokerFixture.group)&tgtGroup=g_copy,g_copy2&modifyUser=ops"
            )
            #expect(cloned.text == #"{"result":true,"errCode":0,"errMsg":"OK"}"#)
            for group in ["g_copy", "g_copy2"] {
                let offsets = await fixture.broker.groupOffsets(group: group, topics: ["t_off"])
                #expect(offsets.first { $0.partitionID == 0 }?.committed == 3 * Self.entry, "\(group)")
            }
        }
    }
}
