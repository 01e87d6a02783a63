import Testing
import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// The old filter-condition methods (admin-api.md §5.5), over the same consume-control records as
/// `admin_*_group_csmctrl_info`.
@Suite struct FilterCondMethodTests {
    @Test func addQueryModifyQueryDeleteQuery() async throws {
        try await GroupControlTests.withDeployedTopics { master, client in
            let added = try await client.modify(
                "admin_add_group_filtercond_info",
                "groupName=g_f&topicName=t_1,t_2&condStatus=2&filterConds=b_type,a_type&createUser=ops"
            )
            #expect(added.count == 2)
            #expect(added.data.first?.keys == ["groupName", "topicName", "success", "errCode", "errInfo"])
            #expect(added.data.allSatisfy { $0.number("errCode") == 200 && $0.string("errInfo") == "Ok!" })
            #expect(
                await master.groupSettings(named: "g_f")?.consumeFilters == [
                    "t_1": ["a_type", "b_type"], "t_2": ["a_type", "b_type"],
                ]
            )

            let query = try await client.query("admin_query_group_filtercond_info", "groupName=g_f")
            #expect(query.count == 2)
            #expect(
                query.data.first?.keys == [
                    "topicName", "groupName", "condStatus", "filterConds", "dataVersionId", "serialId", "createUser",
                    "createDate", "modifyUser", "modifyDate",
                ]
            )
            #expect(query.data.map { $0.number("condStatus") } == [2, 2])
            #expect(query.data.first?.string("filterConds") == "a_type,b_type")
            #expect(query.data.first?.string("createUser") == "ops")
            // One store: consume control lists what the filter-condition API set.
            let control = try await client.query("admin_query_group_csmctrl_info", "groupName=g_f&filterEnable=true")
            #expect(control.count == 2)

            let modified = try await client.modify(
                "admin_mod_group_filtercond_info",
                "groupName=g_f&topicName=t_1&filterConds=c_type&modifyUser=bob"
            )
            #expect(modified.data.first?.bool("success") == true)
            let replaced = try await client.query("admin_query_group_filtercond_info", "groupName=g_f&topicName=t_1")
            #expect(replaced.data.map { $0.string("filterConds") } == ["c_type"])
            #expect(replaced.data.first?.string("modifyUser") == "bob")
            _ = try await client.modify(
                "admin_mod_group_filtercond_info",
                "groupName=g_f&topicName=t_2&condStatus=1&modifyUser=bob"
            )
            let lifted = try await client.query("admin_query_group_filtercond_info", "groupName=g_f")
            #expect(
                lifted.data.map { $0.string("topicName") } == ["t_1"],
                "a pair neither restricted nor forbidden goes"
            )

            let deleted = try await client.modify("admin_del_group_filtercond_info", "topicName=t_1&modifyUser=ops")
            #expect(deleted.data.map { $0.string("groupName") } == ["g_f"])
            let none = try await client.query("admin_query_group_filtercond_info")
            #expect(none.count == 0)
            #expect(await master.groupSettings(named: "g_f") == nil)
        }
    }

    @Test func addWithoutFilterThenModifyToFilter() async throws {
        try await GroupControlTests.withDeployedTopics { master, client in
            let off = try await client.modify(
                "admin_add_group_filtercond_info",
                "groupName=g_o&topicName=t_1&condStatus=0&createUser=ops"
            )
            #expect(off.data.first?.bool("success") == true)
            #expect(await master.groupSettings(named: "g_o") == nil, "consumption unrestricted: nothing is kept")
            let on = try await client.modify(
                "admin_mod_group_filtercond_info",
                "groupName=g_o&topicName=t_1&condStatus=2&filterConds=x_type&modifyUser=ops"
            )
            #expect(on.data.first?.bool("success") == true)
            #expect(await master.groupSettings(named: "g_o")?.consumeFilters == ["t_1": ["x_type"]])
        }
    }

    @Test func filtersAndBlacklistShareRecords() async throws {
        try await GroupControlTests.withDeployedTopics { master, client in
            _ = try await client.modify(
                "admin_add_black_consumergroup_info",
                "groupName=g_b&topicName=t_1&createUser=ops"
            )
            _ = try await client.modify(
                "admin_add_group_filtercond_info",
                "groupName=g_b,g_c&topicName=t_1&condStatus=2&filterConds=a_type,b_type&createUser=ops"
            )
            _ = try await client.modify(
                "admin_add_group_filtercond_info",
                "groupName=g_d&topicName=t_2&condStatus=2&filterConds=a_type&createUser=ops"
            )
            #expect(
                await master.groupSettings(named: "g_b")?.consumeDisabled["t_1"] == MasterWebAPIReason.blacklist,
                "the filter-condition add leaves consumption as it is"
            )
            let withB = try await client.query("admin_query_group_filtercond_info", "filterConds=b_type")
            #expect(withB.data.map { $0.string("groupName") } == ["g_b", "g_c"])
            let onlyT2 = try await client.query("admin_query_group_filtercond_info", "condStatus=2&topicName=t_2")
            #expect(onlyT2.data.map { $0.string("groupName") } == ["g_d"])

            let deleted = try await client.modify(
                "admin_del_group_filtercond_info",
                "groupName=g_b&topicName=t_1&modifyUser=ops"
            )
            #expect(deleted.data.first?.bool("success") == true)
            let unfiltered = try await client.query("admin_query_group_filtercond_info", "condStatus=0")
            #expect(unfiltered.data.map { $0.string("groupName") } == ["g_b"], "still forbidden, no longer filtered")
            #expect(unfiltered.data.first?.number("condStatus") == 0)
            #expect(unfiltered.data.first?.string("filterConds") == "")
            #expect(await master.groupSettings(named: "g_b")?.consumeFilters.isEmpty == true)
            #expect(await master.groupSettings(named: "g_c")?.consumeFilters == ["t_1": ["a_type", "b_type"]])
        }
    }

    @Test func badInputsAreRefused() async throws {
        try await GroupControlTests.withDeployedTopics { master, client in
            let add = "admin_add_group_filtercond_info"
            let mod = "admin_mod_group_filtercond_info"
            let pair = "groupName=g_x&topicName=t_1"
            let cases: [WebClient.Refusal] = [
                (add, "\(pair)&condStatus=3&createUser=ops", "Parameter condStatus value must be <= 2!"),
                (add, "\(pair)&condStatus=-1&createUser=ops", "Parameter condStatus value must be >= 0!"),
                (add, "\(pair)&condStatus=on&createUser=ops", "Parameter condStatus value on must be an integer!"),
                (add, "\(pair)&condStatus=2", "Parameter createUser is missing or value is blank!"),
                (add, "topicName=t_1&condStatus=2&createUser=ops", "Parameter groupName is missing or value is blank!"),
                (add, "groupName=g_x&condStatus=2&createUser=ops", "Parameter topicName is missing or value is blank!"),
                (
                    add, "groupName=g_x&topicName=t_9&condStatus=2&createUser=ops",
                    "Parameter topicName value t_9 is not a deployed topic!"
                ),
                (
                    add, "\(pair)&condStatus=2&filterConds=a%24b&createUser=ops",
                    "Parameter filterConds value a$b must contain only letters, digits, underscores or hyphens!"
                ),
                (
                    add, "\(pair)&condStatus=1&filterConds=a_type&createUser=ops",
                    "Parameter filterConds given without condStatus=2!"
                ),
                (add, "\(pair)&filterConds=a_type&createUser=ops", "Parameter filterConds given without condStatus=2!"),
                (mod, "\(pair)&condStatus=2", "Parameter modifyUser is missing or value is blank!"),
                (
                    mod, "\(pair)&filterConds=a_type&modifyUser=ops",
                    "Parameter filterConds given without condStatus=2, and group g_x is not restricted to filtered "
                        + "consumption of topic t_1!"
                ),
                (
                    "admin_del_group_filtercond_info", "groupName=g_x&modifyUser=ops",
                    "Parameter topicName is missing or value is blank!"
                ),
                (
                    "admin_del_group_filtercond_info", "topicName=t_1",
                    "Parameter modifyUser is missing or value is blank!"
                ),
                (
                    "admin_bath_add_group_filtercond_info", "createUser=ops",
                    "Parameter filterCondJsonSet is missing or value is blank!"
                ),
            ]
            try await client.expectRefused(cases)
            let badQuery = try await client.query("admin_query_group_filtercond_info", "condStatus=7")
            #expect(badQuery.errMsg == "Parameter condStatus value must be <= 2!")
            let wrongToken = try await client.get(
                "method=\(add)&confModAuthToken=nope&\(pair)&condStatus=2&createUser=ops"
            )
            #expect(wrongToken.errMsg == "Bad request from client, illegal access, unauthorized request!")
            #expect(await master.groupSettings().isEmpty)
        }
    }

    @Test func batchAddAndModify() async throws {
        try await GroupControlTests.withDeployedTopics { master, client in
            let items = BatchMethodTests.encoded(
                #"[{"groupName":"g_1","topicName":"t_1","filterConds":"a_type"},"#
                    + #"{"groupName":"g_2","topicName":"t_2","condStatus":"2","filterConds":"b_type"}]"#
            )
            // The outer condStatus is every item's default.
            let added = try await client.modify(
                "admin_bath_add_group_filtercond_info",
                "createUser=ops&condStatus=2&filterCondJsonSet=\(items)"
            )
            #expect(added.count == 2)
            #expect(added.data.allSatisfy { $0.bool("success") == true })
            #expect(await master.groupSettings(named: "g_1")?.consumeFilters == ["t_1": ["a_type"]])
            #expect(await master.groupSettings(named: "g_2")?.consumeFilters == ["t_2": ["b_type"]])

            /// `admin_bath_mod_group_filtercond_info` of the item `{g_1, t_1, filterConds z_type}` and `other`.
            func modify(withZType other: String) async throws -> WebAnswer {
                let set = #"[{"groupName":"g_1","topicName":"t_1","filterConds":"z_type"},"# + other + "]"
                return try await client.modify(
                    "admin_bath_mod_group_filtercond_info",
                    "modifyUser=ops&filterJsonSet=\(BatchMethodTests.encoded(set))"
                )
            }
            let refused = try await modify(withZType: #"{"groupName":"g_3","topicName":"t_1","condStatus":5}"#)
            #expect(refused.errMsg == "Parameter condStatus value must be <= 2!")
            #expect(await master.groupSettings(named: "g_1")?.consumeFilters == ["t_1": ["a_type"]], "nothing applied")

            let modified = try await modify(withZType: #"{"groupName":"g_2","topicName":"t_2","condStatus":0}"#)
            #expect(modified.data.map { $0.number("errCode") } == [200, 200])
            #expect(await master.groupSettings(named: "g_1")?.consumeFilters == ["t_1": ["z_type"]])
            #expect(await master.groupSettings(named: "g_2") == nil)
        }
    }

    @Test func methodsAreListed() async throws {
        try await WebTestSupport.withMaster { _, client in
            let (methods, _) = try await client.methods()
            #expect(methods["admin_query_group_filtercond_info"] == false)
            for name in [
                "admin_add_group_filtercond_info", "admin_bath_add_group_filtercond_info",
                "admin_mod_group_filtercond_info", "admin_bath_mod_group_filtercond_info",
                "admin_del_group_filtercond_info",
            ] {
                #expect(methods[name] == true, "\(name)")
            }
        }
    }
}
