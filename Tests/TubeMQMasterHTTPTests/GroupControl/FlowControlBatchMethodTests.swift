import Foundation
import Testing
import TubeMQCore
import TubeMQMaster
import TubeMQMasterHTTP
import TubeMQMasterState
import TubeMQWebSupport

/// The batch group resource-control and consume-group-setting methods (admin-api.md §5.4, §5.5).
@Suite struct FlowControlBatchMethodTests {
    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    static let limitRule =
        #"[{"type":0,"rule":[{"start":"00:00","end":"23:59","dltInM":0,"limitInM":6,"freqInMs":200}]}]"#

    @Test func batchAddThenUpdateStoresEveryItem() async throws {
        try await WebTestSupport.withMaster { master, client in
            // One item carries the rules as a JSON array, the other as text; createUser is outer.
            let set =
                #"[{"groupName":"g_ba","flowCtrlEnable":true,"qryPriorityId":201,"flowCtrlInfo":"#
                + Self.limitRule + #"},{"groupName":"g_bb","alwdBrokerClientRate":4,"flowCtrlInfo":"#
                + "\"" + Self.limitRule.replacingOccurrences(of: "\"", with: "\\\"") + "\"}]"
            let added = try await client.modify(
                "admin_batch_add_group_resctrl_info",
                "groupResCtrlJsonSet=\(Self.encoded(set))&createUser=ops"
            )
            #expect(added.result == true)
            #expect(added.count == 2)
            #expect(added.data.map { $0["success"]?.boolValue } == [true, true])
            let first = try #require(await master.groupSettings(named: "g_ba")?.resourceControl)
            #expect(first.flowControl.enabled)
            #expect(first.qryPriorityID == 201)
            #expect(first.flowControl.rules.dataLimits.first?.limitInM == 6)
            #expect(first.stamp.createdBy == "ops")
            let second = try #require(await master.groupSettings(named: "g_bb")?.resourceControl)
            #expect(second.allowedBrokerClientRate == 4)
            #expect(second.flowControl.rules.ruleCount == 1)
            #expect(!second.flowControl.enabled)

            // Adding again reports 402 per record; updating a missing group 401 per record.
            let again = try await client.modify(
                "admin_batch_add_group_resctrl_info",
                "gResCtrlSet=\(Self.encoded(#"[{"groupName":"g_ba"}]"#))&createUser=ops"
            )
            #expect(again.data.first?["errCode"]?.numberValue == 402)
            let update = #"[{"groupName":"g_bb","flowCtrlEnable":"true"},{"groupName":"g_none"}]"#
            let updated = try await client.modify(
                "admin_batch_update_group_resctrl_info",
                "groupResCtrlJsonSet=\(Self.encoded(update))&modifyUser=ops2"
            )
            #expect(updated.data.map { $0["groupName"]?.stringValue } == ["g_bb", "g_none"])
            #expect(updated.data.map { $0["errCode"]?.numberValue } == [200, 401])
            let changed = try #require(await master.groupSettings(named: "g_bb")?.resourceControl)
            #expect(changed.flowControl.enabled)
            #expect(changed.allowedBrokerClientRate == 4)
            #expect(changed.stamp.modifiedBy == "ops2")
            #expect(await master.groupSettings(named: "g_none") == nil)
        }
    }

    @Test func batchResourceControlRefusesBadInputAndAppliesNothing() async throws {
        try await WebTestSupport.withMaster { master, client in
            let missing = try await client.modify("admin_batch_add_group_resctrl_info", "createUser=ops")
            #expect(missing.result == false)
            #expect(missing.errCode == 400)
            #expect(missing.errMsg == "Parameter groupResCtrlJsonSet is missing or value is blank!")

            let notJSON = try await client.modify(
                "admin_batch_add_group_resctrl_info",
                "groupResCtrlJsonSet=\(Self.encoded("{oops"))&createUser=ops"
            )
            #expect(
                notJSON.errMsg?.hasPrefix("Parameter groupResCtrlJsonSet must be a JSON array of objects: ") == true,
                "\(notJSON.text)"
            )

            // The second item is bad: nothing of the first is stored.
            let badPriority = #"[{"groupName":"g_ok"},{"groupName":"g_bad","qryPriorityId":999}]"#
            let refused = try await client.modify(
                "admin_batch_add_group_resctrl_info",
                "groupResCtrlJsonSet=\(Self.encoded(badPriority))&createUser=ops"
            )
            #expect(refused.result == false)
            #expect(refused.errCode == 400)
            #expect(refused.errMsg?.contains("qryPriorityId") == true)
            #expect(await master.groupSettings(named: "g_ok") == nil)

            let badRules = #"[{"groupName":"g_ok","flowCtrlInfo":[{"type":9}]}]"#
            let badRule = try await client.modify(
                "admin_batch_add_group_resctrl_info",
                "groupResCtrlJsonSet=\(Self.encoded(badRules))&createUser=ops"
            )
            #expect(badRule.result == false)
            #expect(badRule.errMsg?.contains("flowCtrlInfo") == true)

            let badName = #"[{"groupName":"9bad"}]"#
            let refusedName = try await client.modify(
                "admin_batch_add_group_resctrl_info",
                "groupResCtrlJsonSet=\(Self.encoded(badName))&createUser=ops"
            )
            #expect(refusedName.result == false)
            #expect(refusedName.errMsg?.contains("groupName") == true)

            let noUser = try await client.modify(
                "admin_batch_update_group_resctrl_info",
                "groupResCtrlJsonSet=\(Self.encoded(#"[{"groupName":"g_ok"}]"#))"
            )
            #expect(noUser.errMsg == "Parameter modifyUser is missing or value is blank!")

            let nested = #"[{"groupName":"g_ok","resCheckEnable":[1]}]"#
            let refusedNested = try await client.modify(
                "admin_batch_add_group_resctrl_info",
                "groupResCtrlJsonSet=\(Self.encoded(nested))&createUser=ops"
            )
            #expect(
                refusedNested.errMsg == "Parameter groupResCtrlJsonSet's item resCheckEnable must be a plain value!"
            )
            #expect(await master.groupSettings().isEmpty)
        }
    }

    @Test func batchConsumeGroupSettingAddsOrUpdates() async throws {
        try await WebTestSupport.withMaster { master, client in
            _ = try await client.modify(
                "admin_add_consume_group_setting",
                "groupName=g_old&allowedBClientRate=2&createUser=ops"
            )
            let set = #"[{"groupName":"g_old","enableBind":1,"allowedBClientRate":5},{"groupName":"g_new"}]"#
            let answer = try await client.modify(
                "admin_bath_add_consume_group_setting",
                "groupNameJsonSet=\(Self.encoded(set))&createUser=ops"
            )
            #expect(answer.data.map { $0["success"]?.boolValue } == [true, true])
            let old = try #require(await master.groupSettings(named: "g_old")?.resourceControl)
            #expect(old.allowedBrokerClientRate == 5)
            #expect(old.resCheckEnable)
            #expect(await master.groupSettings(named: "g_new")?.resourceControl?.allowedBrokerClientRate == 0)

            let negative = #"[{"groupName":"g_neg","allowedBClientRate":-1}]"#
            let refused = try await client.modify(
                "admin_bath_add_consume_group_setting",
                "gJsonSet=\(Self.encoded(negative))&createUser=ops"
            )
            #expect(refused.result == false)
            #expect(refused.errMsg?.contains("allowedBClientRate") == true)
            #expect(await master.groupSettings(named: "g_neg") == nil)
            let missing = try await client.modify("admin_bath_add_consume_group_setting", "createUser=ops")
            #expect(missing.errMsg == "Parameter groupNameJsonSet is missing or value is blank!")
        }
    }
}
