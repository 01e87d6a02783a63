import Testing
import TubeMQWebSupport

/// URL shape, method lookup, the token check and the envelope (admin-api.md §1–§3).
@Suite struct DispatchTests {
    @Test func missingAndUnknownMethodsAreDispatchFailures() async throws {
        try await WebTestSupport.withMaster { _, client in
            let missing = try await client.get("type=op_query")
            #expect(
                missing.text
                    == #"{"result":false,"errCode":400,"errMsg":"Bad request from client, Please take with method parameter!"}"#
            )
            let unknown = try await client.query("admin_no_such_method")
            #expect(
                unknown.text
                    == #"{"result":false,"errCode":400,"errMsg":"Bad request from client, unsupported method!"}"#
            )
            #expect(unknown.status == 200, "API errors keep HTTP 200")
        }
    }

    @Test func modifyMethodsNeedTheExactToken() async throws {
        try await WebTestSupport.withMaster { _, client in
            let params = "method=admin_add_broker_configure&brokerIp=10.0.0.1&createUser=alice"
            let none = try await client.get(params)
            #expect(none.result == false)
            #expect(none.errCode == 400)
            #expect(none.errMsg == "Bad request from client, Parameter confModAuthToken is missing or value is blank!")
            #expect(none.keys == ["result", "errCode", "errMsg"])
            let blank = try await client.get(params + "&confModAuthToken=%20%20")
            #expect(blank.errMsg == "Bad request from client, Parameter confModAuthToken is missing or value is blank!")
            let wrong = try await client.get(params + "&confModAuthToken=ABC")
            #expect(wrong.errMsg == "Bad request from client, illegal access, unauthorized request!")
            let alias = try await client.get(params + "&authToken=abc")
            #expect(alias.result == true, "short alias authToken")
            let quoted = try await client.get(
                "method=admin_add_broker_configure&brokerIp=10.0.0.2&createUser=alice&authToken=%22abc%22"
            )
            #expect(quoted.result == true, "quotes around a value are removed")
        }
    }

    @Test func queryMethodsNeedNoTokenButRefuseAWrongOne() async throws {
        try await WebTestSupport.withMaster { _, client in
            let open = try await client.query("admin_query_broker_configure")
            #expect(open.text == #"{"result":true,"errCode":0,"errMsg":"OK","data":[],"count":0}"#)
            let right = try await client.query("admin_query_broker_configure", "confModAuthToken=abc")
            #expect(right.result == true)
            let wrong = try await client.query("admin_query_broker_configure", "confModAuthToken=nope")
            #expect(wrong.errMsg == "Bad request from client, illegal access, unauthorized request!")
        }
    }

    @Test func pathsFormBodiesAndJSONP() async throws {
        try await WebTestSupport.withMaster { _, client in
            let html = try await client.get("method=admin_query_broker_configure", path: "/webapi.html")
            #expect(html.result == true)
            let other = try await client.raw("/other.htm?method=admin_query_broker_configure")
            #expect(other.status == 404)
            let noExtension = try await client.raw("/webapi?method=admin_query_broker_configure")
            #expect(noExtension.status == 404)
            let posted = try await client.post(
                form:
                    "type=op_modify&method=admin_add_broker_configure&brokerIp=10.0.0.3&createUser=bob&confModAuthToken=abc"
            )
            #expect(posted.result == true)
            #expect(posted.data.first?.number("brokerId") == IPv4Address("10.0.0.3").map { Int64($0.derivedBrokerID) })
            let jsonp = try await client.raw("/webapi.htm?method=admin_query_server_version&callback=jQuery123_456")
            #expect(jsonp.text.hasPrefix("jQuery123_456({\"result\":true"))
            #expect(jsonp.text.hasSuffix("})"))
            #expect(jsonp.contentType?.hasPrefix("text/plain") == true)
            let badCallback = try await client.get("method=admin_query_server_version&callback=alert(1)")
            #expect(badCallback.result == false)
        }
    }

    @Test func methodListMarksModifyMethods() async throws {
        try await WebTestSupport.withMaster { _, client in
            let answer = try await client.query("admin_get_methods")
            #expect(answer.data.first?.keys == ["method", "needAuth"])
            let (methods, count) = try await client.methods()
            #expect(methods["admin_query_topic_info"] == false)
            #expect(methods["admin_add_new_topic_record"] == true)
            #expect(methods["admin_online_broker_configure"] == true)
            #expect(count == Int64(methods.count))
        }
    }
}

/// Parameter reading rules (admin-api.md §4).
@Suite struct ParameterTests {
    @Test func longNameWinsAndValuesAreCleaned() throws {
        let p = WebParameters(["topicName": "  \"t_long\" ", "topic": "t_short", "group": "g1", "groupName": "   "])
        #expect(try p.string(.topicName) == "t_long")
        #expect(try p.string(.groupName) == nil, "a blank long name is absent; the alias is only read without it")
        #expect(throws: WebParameterError.self) { try p.requiredString(.createUser) }
    }

    @Test func listsAreSplitCheckedDedupedAndSorted() throws {
        let p = WebParameters(["topicName": "b_t, a_t,,b_t ", "brokerId": "3,1,3", "bad": "1x"])
        #expect(try p.list(.topicName) == ["a_t", "b_t"])
        #expect(try p.int32List(.brokerID) == [1, 3])
        let tooMany = WebParameters(["brokerId": (1...101).map(String.init).joined(separator: ",")])
        #expect(throws: WebParameterError.self) { try tooMany.int32List(.brokerID) }
        let badName = WebParameters(["topicName": "9topic"])
        #expect(throws: WebParameterError.self) { try badName.list(.topicName) }
        #expect(try WebParameters(["topicName": "__offset_history__"]).list(.topicName) == ["__offset_history__"])
    }

    @Test func numbersBooleansAndDates() throws {
        let p = WebParameters([
            "numPartitions": "0", "brokerPort": "+5", "acceptPublish": "FALSE", "withTopic": "2",
            "isInclude": "maybe", "recordTime": "20240102030405", "endTime": "2024",
        ])
        #expect(throws: WebParameterError.self) { try p.int32(.numPartitions, range: 1...10) }
        #expect(throws: WebParameterError.self) { try p.int32(.brokerPort) }
        #expect(try p.bool(.acceptPublish) == false)
        #expect(try p.bool(.withTopic) == true)
        #expect(try p.bool(.topicName) == nil, "absent")
        // Java reads an unparseable boolean as absent, so `isEnable=yes` turned a topic's
        // authorisation control off; ours refuses it, naming the parameter.
        #expect(throws: WebParameterError("Parameter isInclude must be true or false, got maybe!")) {
            try p.bool(.isInclude)
        }
        let time = try #require(try p.date(.recordTime))
        #expect(WebDate.format(time) == "20240102030405")
        #expect(throws: WebParameterError.self) { try p.date(.endTime) }
    }

    @Test func formDecoding() {
        var values: [String: String] = [:]
        FormDecoding.parameters("a=1+2&b=%7B%22k%22%3A1%7D&a=3&c&d=%zz", into: &values)
        #expect(values == ["a": "1 2", "b": "{\"k\":1}", "c": "", "d": "%zz"])
    }
}

/// The HA group methods on a master that is not in an HA group.
@Suite struct MasterGroupMethodTests {
    @Test func aMasterOnItsOwnHasNoGroupToTransferTo() async throws {
        try await WebTestSupport.withMaster { _, client in
            let transfer = try await client.modify("admin_transfer_current_master", "")
            #expect(transfer.result == false)
            #expect(transfer.errMsg?.contains("not part of an HA master group") == true)
            let group = try await client.query("admin_query_master_group_info")
            #expect(
                group.keys == [
                    "result", "errCode", "errMsg", "groupName", "isPrimaryNodeActive", "data", "count", "groupStatus",
                ]
            )
            #expect(group.errMsg == "Ok")
            #expect(group.json["groupStatus"]?.stringValue == "Running-ReadWrite")
        }
    }
}
