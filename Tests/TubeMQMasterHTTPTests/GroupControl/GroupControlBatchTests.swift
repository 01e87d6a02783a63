import Testing
import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// The batch forms of group consume control and of the old blacklist (admin-api.md §5.5).
@Suite struct GroupControlBatchTests {
    static func set(_ json: String) -> String { BatchMethodTests.encoded(json) }

    @Test func batchConsumeControlRoundTrip() async throws {
        try await GroupControlTests.withDeployedTopics { master, client in
            let items = Self.set(
                #"[{"groupName":"g_a","topicName":"t_1","consumeEnable":false,"disableCsmRsn":"maintenance"},"#
                    + #"{"groupName":"g_b","topicName":"t_1,t_2","filterEnable":"true","filterConds":"b_type,a_type","#
                    + #""createUser":"alice"}]"#
            )
            let added = try await client.modify(
                "admin_batch_add_group_csmctrl_info",
                "createUser=ops&groupCsmJsonSet=\(items)"
            )
            #expect(added.count == 3)
            #expect(added.data.first?.keys == ["groupName", "topicName", "success", "errCode", "errInfo"])
            #expect(added.data.allSatisfy { $0.bool("success") == true && $0.number("errCode") == 200 })
            #expect(await master.groupSettings(named: "g_a")?.consumeDisabled == ["t_1": "maintenance"])
            #expect(
                await master.groupSettings(named: "g_b")?.consumeFilters == [
                    "t_1": ["a_type", "b_type"], "t_2": ["a_type", "b_type"],
                ]
            )
            #expect(await master.groupSettings(named: "g_b")?.stamp.createdBy == "alice", "an item's user wins")
            #expect(await master.groupSettings(named: "g_a")?.stamp.createdBy == "ops", "the outer user is the default")

            let queried = try await client.query("admin_query_group_csmctrl_info", "groupName=g_a,g_b")
            #expect(queried.count == 3)

            let updates = Self.set(
                #"[{"groupName":"g_a","topicName":"t_1","consumeEnable":true},"#
                    + #"{"groupName":"g_b","topicName":"t_2","filterConds":"c_type"}]"#
            )
            let updated = try await client.modify(
                "admin_batch_update_group_csmctrl_info",
                "modifyUser=ops&csmJsonSet=\(updates)"
            )
            #expect(updated.data.map { $0.number("errCode") } == [200, 200])
            #expect(await master.groupSettings(named: "g_a") == nil, "allowed without filters: no record is kept")
            #expect(await master.groupSettings(named: "g_b")?.consumeFilters["t_2"] == ["c_type"])

            let deletes = Self.set(#"[{"groupName":"g_b","topicName":"t_1"},{"groupName":"g_b","topicName":"t_2"}]"#)
            let deleted = try await client.modify(
                "admin_batch_delete_group_csmctrl_info",
                "modifyUser=ops&groupCsmJsonSet=\(deletes)"
            )
            #expect(deleted.data.map { $0.string("topicName") } == ["t_1", "t_2"])
            #expect(await master.groupSettings(named: "g_b") == nil)
            let empty = try await client.query("admin_query_group_csmctrl_info")
            #expect(empty.count == 0)
        }
    }

    @Test func batchConsumeControlRefusesBadItems() async throws {
        try await GroupControlTests.withDeployedTopics { master, client in
            let valid = #"{"groupName":"g_c","topicName":"t_1","consumeEnable":false}"#
            /// The set `[valid, other]`, encoded.
            func withValid(_ other: String) -> String { Self.set("[\(valid),\(other)]") }
            let add = "admin_batch_add_group_csmctrl_info"
            let cases: [WebClient.Refusal] = [
                (add, "createUser=ops", "Parameter groupCsmJsonSet is missing or value is blank!"),
                (
                    add, "groupCsmJsonSet=\(Self.set("[\(valid)]"))",
                    "Parameter createUser is missing or value is blank!"
                ),
                (
                    add, "createUser=ops&groupCsmJsonSet=\(withValid(#"{"groupName":"g_d","topicName":"t_none"}"#))",
                    "Parameter topicName value t_none is not a deployed topic!"
                ),
                (
                    add, "createUser=ops&groupCsmJsonSet=\(withValid(#"{"topicName":"t_1"}"#))",
                    "Parameter groupName is missing or value is blank!"
                ),
                (
                    add,
                    "createUser=ops&groupCsmJsonSet="
                        + withValid(#"{"groupName":"g_d","topicName":"t_1","consumeEnable":"maybe"}"#),
                    "Parameter consumeEnable must be true or false, got maybe!"
                ),
                (
                    add,
                    "createUser=ops&groupCsmJsonSet="
                        + withValid(#"{"groupName":"g_d","topicName":"t_1","filterConds":"a_type"}"#),
                    "Parameter filterConds given without filterEnable=true!"
                ),
                (
                    add, "createUser=ops&groupCsmJsonSet=\(Self.set("[]"))",
                    "Parameter groupCsmJsonSet is missing or value is blank!"
                ),
                (
                    "admin_batch_update_group_csmctrl_info", "createUser=ops&groupCsmJsonSet=\(Self.set("[\(valid)]"))",
                    "Parameter modifyUser is missing or value is blank!"
                ),
                (
                    "admin_batch_delete_group_csmctrl_info",
                    "modifyUser=ops&groupCsmJsonSet=\(Self.set(#"[{"topicName":"t_1"}]"#))",
                    "Parameter groupName is missing or value is blank!"
                ),
            ]
            try await client.expectRefused(cases)
            #expect(await master.groupSettings().isEmpty, "nothing is applied when an item is invalid")
            let notJSON = try await client.modify(add, "createUser=ops&groupCsmJsonSet=\(Self.set("[{"))")
            #expect(notJSON.result == false)
            let noToken = try await client.get(
                "method=\(add)&createUser=ops&groupCsmJsonSet=\(Self.set("[\(valid)]"))"
            )
            #expect(
                noToken.errMsg == "Bad request from client, Parameter confModAuthToken is missing or value is blank!"
            )
        }
    }

    @Test func batchBlacklist() async throws {
        try await GroupControlTests.withDeployedTopics { master, client in
            _ = try await client.modify(
                "admin_add_group_csmctrl_info",
                "groupName=g_a&topicName=t_1&filterEnable=true&filterConds=a_type&createUser=ops"
            )
            let items = Self.set(#"[{"groupName":"g_a","topicName":"t_1"},{"groupName":"g_b","topicName":"t_1,t_2"}]"#)
            let added = try await client.modify(
                "admin_bath_add_black_consumergroup_info",
                "createUser=ops&groupNameJsonSet=\(items)"
            )
            #expect(added.count == 3)
            #expect(added.data.allSatisfy { $0.bool("success") == true })
            #expect(await master.groupSettings(named: "g_b")?.consumeDisabled["t_2"] == "Old API batch set BlackList")
            let listed = try await client.query("admin_query_black_consumer_group_info")
            #expect(listed.count == 3)

            let undeployed = try await client.modify(
                "admin_bath_add_black_consumergroup_info",
                "createUser=ops&gJsonSet=\(Self.set(#"[{"groupName":"g_c","topicName":"t_9"}]"#))"
            )
            #expect(undeployed.errMsg == "Parameter topicName value t_9 is not a deployed topic!")
            let noTopic = try await client.modify(
                "admin_batch_delete_black_consumergroup_info",
                "modifyUser=ops&groupNameJsonSet=\(Self.set(#"[{"groupName":"g_a"}]"#))"
            )
            #expect(noTopic.errMsg == "Parameter topicName is missing or value is blank!")

            let deletes = Self.set(#"[{"groupName":"g_a","topicName":"t_1"},{"groupName":"g_b","topicName":"t_1"}]"#)
            let deleted = try await client.modify(
                "admin_batch_delete_black_consumergroup_info",
                "modifyUser=ops&gJsonSet=\(deletes)"
            )
            #expect(deleted.data.map { $0.string("groupName") } == ["g_a", "g_b"])
            #expect(await master.groupSettings(named: "g_b")?.consumeDisabled.keys.sorted() == ["t_2"])
            #expect(await master.groupSettings(named: "g_a")?.consumeDisabled.isEmpty == true)
            #expect(
                await master.groupSettings(named: "g_a")?.consumeFilters == ["t_1": ["a_type"]],
                "the blacklist delete leaves filters as they are"
            )
        }
    }

    /// An item of a batch delete that names no group (or no topic) refuses the batch: it used to stand
    /// for every group blacklisted on the topic, or every topic of the group. A pair without a
    /// restriction is answered and left alone, and the group's other records keep their stamps.
    @Test func batchDeletesNeedBothNamesAndTouchOnlyWhatTheyName() async throws {
        try await GroupControlTests.withDeployedTopics { master, client in
            let blacklist = Self.set(#"[{"groupName":"g_a,g_b","topicName":"t_1,t_2"}]"#)
            _ = try await client.modify(
                "admin_bath_add_black_consumergroup_info",
                "createUser=ops&gJsonSet=\(blacklist)"
            )
            for (method, item) in [
                ("admin_batch_delete_black_consumergroup_info", #"{"topicName":"t_2"}"#),
                ("admin_batch_delete_group_csmctrl_info", #"{"groupName":"g_a"}"#),
            ] {
                let items = Self.set(#"[{"groupName":"g_a","topicName":"t_1"},"# + item + "]")
                let refused = try await client.modify(
                    method,
                    "modifyUser=ops&groupNameJsonSet=\(items)&groupCsmJsonSet=\(items)"
                )
                #expect(refused.errCode == 400, "\(method): \(refused.errMsg)")
            }
            #expect(await master.groupSettings(named: "g_a")?.consumeDisabled.count == 2, "nothing applied")
            #expect(await master.groupSettings(named: "g_b")?.consumeDisabled.count == 2, "nothing applied")

            let stamp = await master.groupSettings(named: "g_b")?.stamp
            let none = Self.set(#"[{"groupName":"g_b","topicName":"t_3"}]"#)
            let answered = try await client.modify(
                "admin_batch_delete_group_csmctrl_info",
                "modifyUser=other&groupCsmJsonSet=\(none)"
            )
            #expect(answered.data.map { $0.string("topicName") } == ["t_3"])
            #expect(answered.data.allSatisfy { $0.bool("success") == true })
            #expect(await master.groupSettings(named: "g_b")?.stamp == stamp, "the group's records are untouched")
        }
    }

    @Test func batchMethodsAreListed() async throws {
        try await WebTestSupport.withMaster { _, client in
            let (methods, _) = try await client.methods()
            for name in [
                "admin_batch_add_group_csmctrl_info", "admin_batch_update_group_csmctrl_info",
                "admin_batch_delete_group_csmctrl_info", "admin_bath_add_black_consumergroup_info",
                "admin_batch_delete_black_consumergroup_info",
            ] {
                #expect(methods[name] == true, "\(name)")
            }
        }
    }
}
