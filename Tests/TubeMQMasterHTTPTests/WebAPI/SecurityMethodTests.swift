import Testing
import TubeMQMaster

/// Users and consumer-group grants through the webapi; passwords are never returned.
@Suite struct SecurityMethodTests {
    @Test func usersAndGrants() async throws {
        let security = MasterSecurity(
            settings: SecuritySettings(consumeAuthorize: true),
            users: UserDirectory(users: [])
        )
        try await WebTestSupport.withMaster(security: security) { _, client in
            let added = try await client.modify(
                "admin_add_auth_user",
                "userName=alice&password=pw-secret-1&topicNameSet=t_1,t_2"
            )
            #expect(added.result == true)
            #expect(security.users.user("alice")?.publishTopics == ["t_1", "t_2"])
            // A topic item is written into the users file: one that would break its line is refused.
            for injected in ["demo%0Amallory%20evil", "demo%20x", "de%23mo"] {
                let refused = try await client.modify(
                    "admin_add_auth_user",
                    "userName=carol&password=pw-secret-2&topicNameSet=\(injected)"
                )
                #expect(refused.result == false, "\(injected)")
                #expect(
                    refused.errMsg?.hasPrefix("Parameter topicNameSet has an illegal topic name") == true,
                    "\(injected)"
                )
            }
            #expect(security.users.user("carol") == nil && security.users.user("mallory") == nil)
            let users = try await client.query("admin_query_auth_user")
            #expect(users.text.contains("alice"))
            #expect(!users.text.contains("pw-secret-1"))

            // A grant on a topic that is not deployed (a mistyped name) would guard nothing: refused.
            for (method, parameters) in [
                ("admin_set_topic_authorize_control", "topicName=t_9&isEnable=true"),
                ("admin_add_authorized_consumergroup_info", "topicName=t_9&groupName=g_1"),
            ] {
                let undeployed = try await client.modify(method, parameters)
                #expect(undeployed.result == false, "\(method)")
                #expect(undeployed.errMsg == "Parameter topicName value t_9 is not a deployed topic!", "\(method)")
            }
            #expect(security.grants.control("t_9") == nil)

            try await GroupControlTests.deployTopics(client)
            let control = try await client.modify("admin_set_topic_authorize_control", "topicName=t_1&isEnable=true")
            #expect(control.result == true)
            let allowed = try await client.modify(
                "admin_add_authorized_consumergroup_info",
                "topicName=t_1&groupName=g_1"
            )
            #expect(allowed.result == true)
            #expect(security.grants.refusedTopics(group: "g_2", topics: ["t_1"]) == ["t_1"])
            #expect(security.grants.refusedTopics(group: "g_1", topics: ["t_1"]).isEmpty)
            let query = try await client.query("admin_query_allowed_consumer_group_info", "topicName=t_1")
            #expect(query.text.contains("g_1"))

            let removed = try await client.modify(
                "admin_delete_allowed_consumer_group_info",
                "topicName=t_1&groupName=g_1"
            )
            #expect(removed.result == true)
            #expect(security.grants.refusedTopics(group: "g_1", topics: ["t_1"]) == ["t_1"])
            let gone = try await client.modify("admin_delete_auth_user", "userName=alice")
            #expect(gone.result == true)
            #expect(security.users.user("alice") == nil)
            let noToken = try await client.query("admin_add_auth_user", "userName=bob&password=x")
            #expect(noToken.result == false)
        }
    }

    /// `admin_set_topic_authorize_control` and the topic control record's `enableAuthControl` are one
    /// flag, as in TubeMQ: the topic views said "off" after control was turned on, and turning it on
    /// through the control record did nothing.
    @Test func topicAuthorizeControlAndTheControlRecordAreOneFlag() async throws {
        let security = MasterSecurity(
            settings: SecuritySettings(consumeAuthorize: true),
            users: UserDirectory(users: [])
        )
        try await WebTestSupport.withMaster(security: security) { _, client in
            try await GroupControlTests.deployTopics(client)
            let on = try await client.modify(
                "admin_set_topic_authorize_control",
                "topicName=t_1&isEnable=true&modifyUser=ops"
            )
            #expect(on.result == true)
            let record = try await client.query("admin_query_topic_control_info", "topicName=t_1")
            #expect(record.text.contains("\"enableAuthControl\":true"), "\(record.text)")

            let off = try await client.modify(
                "admin_update_topic_control_info",
                "topicName=t_1&enableAuthControl=false&modifyUser=ops"
            )
            #expect(off.result == true)
            #expect(security.grants.control("t_1")?.isEnabled ?? false == false, "control turned off")
            let viaRecord = try await client.modify(
                "admin_update_topic_control_info",
                "topicName=t_2&enableAuthControl=true&modifyUser=ops"
            )
            #expect(viaRecord.result == true)
            #expect(security.grants.control("t_2")?.isEnabled == true)
            let control = try await client.query("admin_query_topic_authorize_control", "topicName=t_2")
            #expect(control.text.contains("\"isEnable\":true"), "\(control.text)")
        }
    }
}
