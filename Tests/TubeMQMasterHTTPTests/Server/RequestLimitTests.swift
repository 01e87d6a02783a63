import Testing
import TubeMQMaster
import TubeMQWebSupport

/// JSON parameters nested absurdly deep are refused with 400; they used to overflow the recursive
/// parser's stack and kill the whole process.
@Suite struct DeepJSONTests {
    @Test(arguments: ["[", "{\"a\":"])
    func deeplyNestedJSONIsRefusedAndTheServerKeepsServing(opening: String) async throws {
        try await WebTestSupport.withMaster { _, client in
            let closing = opening == "[" ? "]" : "}"
            let depth = 100_000
            let text =
                String(repeating: opening, count: depth) + (opening == "[" ? "" : "1")
                + String(repeating: closing, count: depth)
            let refused = try await client.post(
                form: "type=op_modify&method=admin_batch_add_group_resctrl_info&confModAuthToken="
                    + "\(WebTestSupport.token)&createUser=ops&groupResCtrlJsonSet=\(text.addingPercentEncodingForQuery())"
            )
            #expect(refused.result == false)
            #expect(refused.errCode == 400, "\(refused.text.prefix(300))")
            // The refusal says what is wrong (it said only "must be a JSON array of objects").
            #expect(refused.errMsg?.contains("nested more than 64 deep") == true, "\(refused.text.prefix(300))")
            let alive = try await client.query("admin_query_server_version")
            #expect(alive.errCode == 0, "the server still answers")
        }
    }
}

/// A form body over the 64 MiB limit gets a JSON refusal (413), not an empty 500.
@Suite struct OversizeBodyTests {
    @Test func aBodyOverTheLimitIsRefusedWithJSON() async throws {
        try await WebTestSupport.withMaster { _, client in
            let form = "method=admin_query_server_version&pad=" + String(repeating: "x", count: (64 << 20) + 1)
            let refused = try await client.post(form: form)
            #expect(refused.status == 413)
            #expect(refused.result == false)
            #expect(refused.errMsg?.contains("request body over") == true, "\(refused.text.prefix(200))")
            #expect(try await client.query("admin_query_server_version").errCode == 0, "the server still answers")
        }
    }
}
