import Foundation
import Testing
import TubeMQCore
import TubeMQMaster
import TubeMQMasterHTTP
import TubeMQMasterState
import TubeMQWebSupport

/// Flow control and group resource control (admin-api.md §5.4) and the client-balance group methods.
@Suite struct FlowControlMethodTests {
    static let limitRule =
        #"[{"type":0,"rule":[{"start":"00:00","end":"23:59","dltInM":0,"limitInM":6,"freqInMs":200}]}]"#
    static var encodedRule: String { limitRule.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    @Test func defaultRuleSetQueryRemove() async throws {
        try await WebTestSupport.withMaster { master, client in
            let set = try await client.modify(
                "admin_set_def_flow_control_rule",
                "flowCtrlInfo=\(Self.encodedRule)&statusId=1&createUser=ops"
            )
            #expect(set.result == true)
            let queried = try await client.query("admin_query_def_flow_control_rule")
            let item = try #require(queried.data.first)
            #expect(item.keys == ["statusId", "maxMsgSizeInMB", "qryPriorityId", "ruleCnt", "flowCtrlInfo"])
            #expect(item["statusId"]?.numberValue == 1)
            #expect(item["ruleCnt"]?.numberValue == 1)
            #expect(item["flowCtrlInfo"]?.items?.count == 1)
            let settings = await master.clusterSettings()
            #expect(settings.flowControl?.enabled == true)
            #expect(settings.flowControl?.rules.dataLimits.first?.limitInM == 6)
            let cluster = try await client.query("admin_query_cluster_default_setting")
            #expect(cluster.data.first?["flowCtrlEnable"]?.boolValue == true)
            #expect(cluster.data.first?["flowCtrlRuleCount"]?.numberValue == 1)

            let bad = try await client.modify(
                "admin_upd_def_flow_control_rule",
                "flowCtrlInfo=%5B%7B%22type%22%3A9%7D%5D&modifyUser=ops"
            )
            #expect(bad.result == false)
            #expect(bad.errMsg?.contains("flowCtrlInfo") == true)

            let removed = try await client.modify("admin_rmv_def_flow_control_rule", "modifyUser=ops")
            #expect(removed.data.first?["statusId"]?.numberValue == 0)
            #expect(removed.data.first?["ruleCnt"]?.numberValue == 0)
            #expect(await master.clusterSettings().flowControl?.enabled == false)
        }
    }

    @Test func groupResourceControlAddQueryUpdateDelete() async throws {
        try await WebTestSupport.withMaster { master, client in
            let added = try await client.modify(
                "admin_add_group_resctrl_info",
                "groupName=g_fa,g_fb&flowCtrlEnable=true&flowCtrlInfo=\(Self.encodedRule)&qryPriorityId=201&createUser=ops"
            )
            #expect(added.count == 2)
            #expect(added.data.first?.keys == ["groupName", "success", "errCode", "errInfo"])
            let booked = try await client.query("admin_query_booked_resctrl_groups")
            #expect(booked.json["data"]?.items?.compactMap(\.stringValue).sorted() == ["g_fa", "g_fb"])
            let bookedOne = try await client.query("admin_query_booked_resctrl_groups", "groupName=g_fb")
            #expect(bookedOne.json["data"]?.items?.compactMap(\.stringValue) == ["g_fb"])
            let again = try await client.modify("admin_add_group_resctrl_info", "groupName=g_fa&createUser=ops")
            #expect(again.data.first?["errCode"]?.numberValue == 402)

            let queried = try await client.query("admin_query_group_resctrl_info", "groupName=g_fa")
            let item = try #require(queried.data.first)
            #expect(item["flowCtrlEnable"]?.boolValue == true)
            #expect(item["qryPriorityId"]?.numberValue == 201)
            #expect(item["flowCtrlRuleCount"]?.numberValue == 1)
            let flow = await master.groupSettings(named: "g_fa")?.resourceControl?.flowControl
            #expect(flow?.enabled == true)
            let firstVersion = try #require(flow?.version)

            let updated = try await client.modify(
                "admin_update_group_resctrl_info",
                "groupName=g_fa&flowCtrlEnable=false&modifyUser=ops"
            )
            #expect(updated.data.first?["success"]?.boolValue == true)
            let after = await master.groupSettings(named: "g_fa")?.resourceControl?.flowControl
            #expect(after?.enabled == false)
            #expect((after?.version ?? 0) > firstVersion)
            let missing = try await client.modify(
                "admin_update_group_resctrl_info",
                "groupName=g_none&modifyUser=ops"
            )
            #expect(missing.data.first?["errCode"]?.numberValue == 401)

            let old = try await client.query("admin_query_group_flow_control_rule", "groupName=g_fb")
            #expect(old.data.first?.keys == ["groupName", "statusId", "qryPriorityId", "ruleCnt", "flowCtrlInfo"])
            #expect(old.data.first?["statusId"]?.numberValue == 1)

            let deleted = try await client.modify(
                "admin_delete_group_resctrl_info",
                "groupName=g_fa,g_fb&modifyUser=ops"
            )
            #expect(deleted.count == 2)
            #expect(await master.groupSettings().isEmpty)
        }
    }

    @Test func rulesSurviveARestart() async throws {
        let directory = NSTemporaryDirectory() + "tubemq-flow-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try await Master(store: try FileMetadataStore(directory: directory), logger: WebTestSupport.logger)
        let rules = try FlowControlRules(json: Self.limitRule)
        try await first.setDefaultFlowControl(enabled: true, rules: rules, qryPriorityID: nil, by: "ops")
        try await first.setGroupResourceControl(
            group: "g_keep",
            GroupResourceControlPatch(flowControlEnabled: true, rules: rules),
            create: true,
            by: "ops"
        )
        await first.shutdown()
        let second = try await Master(store: try FileMetadataStore(directory: directory), logger: WebTestSupport.logger)
        #expect(await second.clusterSettings().flowControl?.rules == rules)
        #expect(await second.clusterSettings().flowControl?.enabled == true)
        #expect(await second.groupSettings(named: "g_keep")?.resourceControl?.flowControl.rules == rules)
        await second.shutdown()
    }

    @Test func consumeGroupSettingsAreTheResourceControlRate() async throws {
        try await WebTestSupport.withMaster { master, client in
            let added = try await client.modify(
                "admin_add_consume_group_setting",
                "groupName=g_bind&enableBind=1&allowedBClientRate=3&createUser=ops"
            )
            #expect(added.data.first?["success"]?.boolValue == true)
            let queried = try await client.query("admin_query_consume_group_setting", "groupName=g_bind")
            let item = try #require(queried.data.first)
            #expect(
                Array(item.keys.prefix(5)) == [
                    "groupName", "enableBind", "allowedBClientRate", "attributes", "lastBindUsedDate",
                ]
            )
            #expect(item["allowedBClientRate"]?.numberValue == 3)
            #expect(item["enableBind"]?.numberValue == 1)
            let control = await master.groupSettings(named: "g_bind")?.resourceControl
            #expect(control?.allowedBrokerClientRate == 3)
            #expect(control?.resCheckEnable == true)
            let removed = try await client.modify("admin_del_consume_group_setting", "groupName=g_bind&modifyUser=ops")
            #expect(removed.data.first?["success"]?.boolValue == true)
            #expect(await master.groupSettings(named: "g_bind")?.resourceControl?.allowedBrokerClientRate == 0)
        }
    }

    @Test func clientBalanceGroupMethodsWithoutGroups() async throws {
        try await WebTestSupport.withMaster { _, client in
            let listed = try await client.query("admin_query_client_balance_group_set")
            #expect(listed.result == true)
            #expect(listed.count == 0)
            let none = try await client.modify(
                "admin_set_client_balance_group_consume_from_max",
                "groupName=g_none&modifyUser=ops"
            )
            #expect(none.result == false)
            #expect(none.errMsg == "all consumer groups are not client balance groups")
        }
    }
}
