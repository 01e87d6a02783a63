import Testing

/// With an admin token set, the broker webapi's offset-moving methods need it; queries do not.
@Suite struct WebAdminTokenTests {
    static let remove = "method=admin_rmv_offset&topicName=t_off&groupName=g_off&modifyUser=ops&partitionId=0"

    @Test func offsetMovesNeedTheToken() async throws {
        try await BrokerFixture.with(adminToken: "tok-123") { fixture in
            let missing = try await fixture.get(Self.remove)
            #expect(missing.string("errMsg") == "Parameter confModAuthToken is missing or value is blank!")
            let wrong = try await fixture.get(Self.remove + "&confModAuthToken=nope")
            #expect(wrong.string("errMsg") == "illegal access, unauthorized request!")
            let right = try await fixture.get(Self.remove + "&confModAuthToken=tok-123")
            #expect(right.string("errMsg") != "illegal access, unauthorized request!")
            let query = try await fixture.get("method=admin_query_group_offset")
            #expect(query.bool("result") == true)
        }
    }

    @Test func backupsAndStatsSwitchesNeedTheToken() async throws {
        try await BrokerFixture.with(adminToken: "tok-123") { fixture in
            for method in [
                "admin_backup_group_offsets", "admin_enable_stats&statsType=all", "admin_disable_stats&statsType=all",
                "admin_disable_all_stats",
            ] {
                let missing = try await fixture.get("method=\(method)")
                #expect(
                    missing.string("errMsg") == "Parameter confModAuthToken is missing or value is blank!",
                    "\(method)"
                )
                let right = try await fixture.get("method=\(method)&confModAuthToken=tok-123")
                #expect(right.bool("result") == true, "\(method): \(right.text)")
            }
            // Reading the statistics needs no token; resetting them does.
            let reset = try await fixture.get("method=admin_get_metrics_info&needRefresh=true")
            #expect(reset.string("errMsg") == "Parameter confModAuthToken is missing or value is blank!")
            for query in [
                "admin_get_metrics_info", "admin_query_pubinfo", "admin_get_group_detail_info",
                "admin_get_group_history_offset&groupName=g_off&recordTime=20240101000000",
            ] {
                let reply = try await fixture.get("method=\(query)")
                #expect(reply.bool("result") == true, "\(query): \(reply.text)")
            }
        }
    }
}
