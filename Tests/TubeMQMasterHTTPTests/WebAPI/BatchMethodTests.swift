import Testing
import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// The JSON-set batch methods and the new-format topic query.
@Suite struct BatchMethodTests {
    /// `text` percent-encoded for a query string.
    static func encoded(_ text: String) -> String {
        text.addingPercentEncodingForQuery()
    }

    @Test func batchAddAndUpdateBrokers() async throws {
        try await WebTestSupport.withMaster { master, client in
            let set = Self.encoded(
                #"[{"brokerId":1,"brokerIp":"127.0.0.1","brokerPort":8301},"#
                    + #"{"brokerId":2,"brokerIp":"127.0.0.1","brokerPort":"8302","numPartitions":3}]"#
            )
            let added = try await client.modify(
                "admin_bath_add_broker_configure",
                "createUser=ops&brokerJsonSet=\(set)"
            )
            #expect(added.count == 2)
            #expect(added.data.allSatisfy { $0.bool("success") == true })
            #expect(await master.broker(id: 2)?.config.defaults.numPartitions == 3)

            let bad = Self.encoded(#"[{"brokerId":3,"brokerIp":"127.0.0.1"},{"brokerId":4}]"#)
            let refused = try await client.modify("admin_batch_add_broker_configure", "createUser=ops&brokerSet=\(bad)")
            #expect(refused.errMsg == "Parameter brokerIp is missing or value is blank!")
            #expect(await master.broker(id: 3) == nil, "nothing is applied when an item is invalid")
            let notJSON = try await client.modify(
                "admin_batch_add_broker_configure",
                "createUser=ops&brokerJsonSet=nope"
            )
            #expect(notJSON.result == false)

            let updates = Self.encoded(#"[{"brokerId":"1,2","unflushThreshold":10}]"#)
            let updated = try await client.modify(
                "admin_batch_update_broker_configure",
                "modifyUser=ops&brokerJsonSet=\(updates)"
            )
            #expect(updated.count == 2)
            #expect(await master.broker(id: 1)?.config.defaults.unflushThreshold == 10)
        }
    }

    @Test func batchTopicsAndNewFormatQuery() async throws {
        try await WebTestSupport.withMaster { master, client in
            _ = try await client.modify("admin_add_broker_configure", "brokerId=1&brokerIp=127.0.0.1&createUser=ops")
            let set = Self.encoded(
                #"[{"topicName":"t_x","brokerId":1,"numPartitions":4},{"topicName":"t_y","brokerId":"1,9"}]"#
            )
            let added = try await client.modify("admin_bath_add_new_topic_record", "createUser=ops&topicJsonSet=\(set)")
            #expect(added.count == 3)
            #expect(added.data.map { $0.number("errCode") } == [200, 200, 401])
            #expect(await master.topic(named: "t_x")?.deployment(on: 1)?.settings.numPartitions == 4)
            let updates = Self.encoded(#"[{"topicName":"t_y","brokerId":1,"acceptSubscribe":false}]"#)
            let updated = try await client.modify(
                "admin_batch_update_topic_deploy_info",
                "modifyUser=ops&topicJsonSet=\(updates)"
            )
            #expect(updated.data.first?.bool("success") == true)
            #expect(await master.topic(named: "t_y")?.deployment(on: 1)?.settings.acceptSubscribe == false)

            let info = try await client.query("admin_query_topic_deploy_info", "topicName=t_x&withGroupAuthInfo=true")
            let topic = try #require(info.data.first)
            #expect(
                topic.keys == [
                    "topicName", "topicNameId", "enableAuthControl", "maxMsgSizeInMB", "dataVersionId", "serialId",
                    "createUser", "createDate", "modifyUser", "modifyDate", "deployInfo", "infoCount",
                    "totalCfgNumPart", "isSrvAcceptPublish", "isSrvAcceptSubscribe", "totalRunNumPartCount",
                    "groupAuthInfo", "groupAuthCount",
                ]
            )
            #expect(topic.number("totalCfgNumPart") == 4)
        }
    }
}

extension String {
    /// The text with everything but unreserved characters percent-encoded.
    func addingPercentEncodingForQuery() -> String {
        var out = ""
        for byte in utf8 {
            let scalar = Unicode.Scalar(byte)
            if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "-_.~".unicodeScalars.contains(scalar)
            {
                out.unicodeScalars.append(scalar)
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
