import Testing
import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// The blacklist and group consume control methods (admin-api.md §5.5).
@Suite struct GroupControlTests {
    static func deployTopics(_ client: WebClient) async throws {
        _ = try await client.modify("admin_add_broker_configure", "brokerId=1&brokerIp=127.0.0.1&createUser=ops")
        _ = try await client.modify("admin_add_new_topic_record", "topicName=t_1,t_2&brokerId=1&createUser=ops")
    }

    /// Runs `body` against a master with the topics `t_1` and `t_2` deployed on broker 1.
    static func withDeployedTopics(_ body: @escaping @Sendable (Master, WebClient) async throws -> Void) async throws {
        try await WebTestSupport.withMaster { master, client in
            try await deployTopics(client)
            try await body(master, client)
        }
    }

    @Test func blacklistAddQueryDelete() async throws {
        try await WebTestSupport.withMaster { master, client in
            try await Self.deployTopics(client)
            let added = try await client.modify(
                "admin_add_black_consumergroup_info",
                "groupName=g_a,g_b&topicName=t_1&createUser=ops"
            )
            #expect(added.count == 2)
            #expect(added.data.first?.keys == ["groupName", "topicName", "success", "errCode", "errInfo"])
            #expect(await master.groupSettings(named: "g_a")?.consumeDisabled["t_1"] == MasterWebAPIReason.blacklist)
            let undeployed = try await client.modify(
                "admin_add_black_consumergroup_info",
                "groupName=g_a&topicName=t_none&createUser=ops"
            )
            #expect(undeployed.result == false)
            #expect(undeployed.errCode == 400)

            let listed = try await client.query("admin_query_black_consumer_group_info", "topicName=t_1")
            #expect(listed.count == 2)
            #expect(
                listed.data.first?.keys == [
                    "groupName", "topicName", "reason", "dataVersionId", "createUser", "createDate", "modifyUser",
                    "modifyDate",
                ]
            )
            let noTopic = try await client.modify("admin_delete_black_consumergroup_info", "modifyUser=ops")
            #expect(noTopic.errMsg == "Parameter topicName is missing or value is blank!")
            let removed = try await client.modify(
                "admin_delete_black_consumergroup_info",
                "topicName=t_1&modifyUser=ops"
            )
            #expect(removed.count == 2)
            #expect(await master.groupSettings().isEmpty)
        }
    }

    @Test func consumeControl() async throws {
        try await WebTestSupport.withMaster { master, client in
            try await Self.deployTopics(client)
            let forbidden = try await client.modify(
                "admin_add_group_csmctrl_info",
                "groupName=g_c&topicName=t_1,t_2&consumeEnable=false&disableCsmRsn=maintenance&createUser=ops"
            )
            #expect(forbidden.count == 2)
            #expect(
                await master.groupSettings(named: "g_c")?.consumeDisabled == [
                    "t_1": "maintenance", "t_2": "maintenance",
                ]
            )
            let filters = try await client.modify(
                "admin_update_group_csmctrl_info",
                "groupName=g_c&topicName=t_1&filterEnable=true&filterConds=b_type,a_type&modifyUser=ops"
            )
            #expect(filters.result == true, "\(filters.errMsg)")
            #expect(await master.groupSettings(named: "g_c")?.consumeFilters == ["t_1": ["a_type", "b_type"]])
            let contradiction = try await client.modify(
                "admin_update_group_csmctrl_info",
                "groupName=g_c&topicName=t_1&filterEnable=false&filterConds=a_type&modifyUser=ops"
            )
            #expect(contradiction.result == false)
            // New conditions alone replace those of a restricted pair; for one that is not, they are refused.
            _ = try await client.modify(
                "admin_update_group_csmctrl_info",
                "groupName=g_c&topicName=t_1&filterConds=c_type&modifyUser=ops"
            )
            #expect(await master.groupSettings(named: "g_c")?.consumeFilters == ["t_1": ["c_type"]])
            _ = try await client.modify(
                "admin_update_group_csmctrl_info",
                "groupName=g_c&topicName=t_1&filterConds=a_type,b_type&modifyUser=ops"
            )
            let unrestricted = try await client.modify(
                "admin_update_group_csmctrl_info",
                "groupName=g_c&topicName=t_2&filterConds=a_type&modifyUser=ops"
            )
            #expect(unrestricted.result == false, "\(unrestricted.errMsg)")
            #expect(await master.groupSettings(named: "g_c")?.consumeFilters["t_2"] == nil)
            let restricted = try await client.query("admin_query_group_csmctrl_info", "groupName=g_c&filterEnable=true")
            #expect(restricted.count == 1)
            #expect(restricted.data.first?.string("filterConds") == "a_type,b_type")
            let booked = try await client.query("admin_query_booked_csmctrl_groups")
            #expect(booked.json["data"]?.items?.compactMap(\.stringValue) == ["g_c"])
            let query = try await client.query("admin_query_group_csmctrl_info", "groupName=g_c")
            #expect(query.count == 2)
            #expect(
                query.data.first?.keys.prefix(6) == [
                    "topicName", "groupName", "consumeEnable", "disableCsmRsn", "filterEnable", "filterConds",
                ]
            )
            _ = try await client.modify(
                "admin_update_group_csmctrl_info",
                "groupName=g_c&topicName=t_2&consumeEnable=true&modifyUser=ops"
            )
            #expect(await master.groupSettings(named: "g_c")?.consumeDisabled == ["t_1": "maintenance"])
            // Allowed again, and still restricted to filters: the record stays and is listed.
            _ = try await client.modify(
                "admin_update_group_csmctrl_info",
                "groupName=g_c&topicName=t_1&consumeEnable=true&modifyUser=ops"
            )
            let allowed = try await client.query("admin_query_group_csmctrl_info", "groupName=g_c&consumeEnable=true")
            #expect(allowed.data.map { $0.string("topicName") } == ["t_1"])
            #expect(allowed.data.first?.bool("filterEnable") == true)
            let deleted = try await client.modify("admin_delete_group_csmctrl_info", "groupName=g_c&modifyUser=ops")
            #expect(deleted.data.map { $0.string("topicName") } == ["t_1"])
            #expect(await master.groupSettings(named: "g_c") == nil)
        }
    }
}

/// The reason text the old blacklist API records.
enum MasterWebAPIReason {
    static let blacklist = "Old API add blacklist, disable consume"
}
