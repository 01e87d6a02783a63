import Testing
import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// The batch forms of topic control (admin-api.md §5.2).
@Suite struct TopicControlBatchTests {
    @Test func batchAddQueryUpdateQuery() async throws {
        try await WebTestSupport.withMaster { master, client in
            let items = BatchMethodTests.encoded(
                #"[{"topicName":"t_a","maxMsgSizeInMB":4},{"topicName":"t_b,t_c","enableAuthControl":true}]"#
            )
            let added = try await client.modify(
                "admin_batch_add_topic_control_info",
                "createUser=ops&topicCtrlJsonSet=\(items)"
            )
            #expect(added.count == 3)
            #expect(added.data.first?.keys == ["topicName", "success", "errCode", "errInfo"])
            #expect(added.data.allSatisfy { $0.number("errCode") == 200 })
            #expect(await master.topic(named: "t_a")?.maxMsgSizeInMB == 4)
            #expect(await master.topic(named: "t_c")?.enableAuthControl == true)
            let query = try await client.query("admin_query_topic_control_info", "topicName=t_a,t_b")
            #expect(query.data.map { $0.bool("enableAuthControl") } == [false, true])

            let again = try await client.modify(
                "admin_batch_add_topic_control_info",
                "createUser=ops&tCtrlSet=\(BatchMethodTests.encoded(#"[{"topicName":"t_a"}]"#))"
            )
            #expect(again.data.first?.number("errCode") == 402)

            // `topicJsonSet`, the other topic batch methods' set, is read when `topicCtrlJsonSet` is absent.
            let updates = BatchMethodTests.encoded(
                #"[{"topicName":"t_a","maxMsgSizeInMB":8,"modifyUser":"bob"},{"topicName":"t_z"}]"#
            )
            let updated = try await client.modify(
                "admin_batch_update_topic_control_info",
                "modifyUser=ops&topicJsonSet=\(updates)"
            )
            #expect(updated.data.map { $0.number("errCode") } == [200, 401])
            let after = try await client.query("admin_query_topic_control_info", "topicName=t_a")
            #expect(after.data.first?.number("maxMsgSizeInMB") == 8)
            #expect(after.data.first?.string("modifyUser") == "bob")
        }
    }

    @Test func badItemsAreRefusedBeforeAnyIsApplied() async throws {
        try await WebTestSupport.withMaster { master, client in
            let add = "admin_batch_add_topic_control_info"
            let cases: [WebClient.Refusal] = [
                (add, "createUser=ops", "Parameter topicCtrlJsonSet is missing or value is blank!"),
                (
                    add, "topicCtrlJsonSet=\(BatchMethodTests.encoded(#"[{"topicName":"t_a"}]"#))",
                    "Parameter createUser is missing or value is blank!"
                ),
                (
                    add,
                    "createUser=ops&topicCtrlJsonSet="
                        + BatchMethodTests.encoded(#"[{"topicName":"t_a"},{"topicName":"t_b","maxMsgSizeInMB":21}]"#),
                    "Parameter maxMsgSizeInMB value must be <= 20!"
                ),
                (
                    add, "createUser=ops&topicCtrlJsonSet=\(BatchMethodTests.encoded(#"[{"topicName":"1bad"}]"#))",
                    "Parameter topicName value 1bad must be a letter followed by one or more letters, digits or "
                        + "underscores!"
                ),
                (
                    add, "createUser=ops&topicCtrlJsonSet=\(BatchMethodTests.encoded(#"[{"maxMsgSizeInMB":2}]"#))",
                    "Parameter topicName is missing or value is blank!"
                ),
                (
                    "admin_batch_update_topic_control_info",
                    "createUser=ops&topicCtrlJsonSet=\(BatchMethodTests.encoded(#"[{"topicName":"t_a"}]"#))",
                    "Parameter modifyUser is missing or value is blank!"
                ),
            ]
            try await client.expectRefused(cases)
            #expect(await master.topic(named: "t_a") == nil, "nothing is applied when an item is invalid")
        }
    }

    @Test func batchMethodsAreListed() async throws {
        try await WebTestSupport.withMaster { _, client in
            let (methods, _) = try await client.methods()
            #expect(methods["admin_batch_add_topic_control_info"] == true)
            #expect(methods["admin_batch_update_topic_control_info"] == true)
        }
    }
}
