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
}
