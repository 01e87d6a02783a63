import Testing
import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// Topic deployments and topic control (admin-api.md §5.2) and cluster defaults (§5.3).
@Suite struct TopicMethodTests {
    static let deployKeys = [
        "topicName", "brokerId", "topicNameId", "brokerIp", "brokerPort", "topicStatusId", "numTopicStores",
        "numPartitions", "unflushThreshold", "unflushInterval", "unflushDataHold", "memCacheMsgSizeInMB",
        "memCacheMsgCntInK", "memCacheFlushIntvl", "acceptPublish", "acceptSubscribe", "deletePolicy", "dataStoreType",
        "dataPath", "dataVersionId", "serialId", "createUser", "createDate", "modifyUser", "modifyDate",
    ]

    static func twoBrokers(_ client: WebClient) async throws {
        _ = try await client.modify("admin_add_broker_configure", "brokerId=1&brokerIp=127.0.0.1&createUser=ops")
        _ = try await client.modify(
            "admin_add_broker_configure",
            "brokerId=2&brokerIp=127.0.0.1&brokerPort=8200&createUser=ops&numPart=2"
        )
    }

    @Test func addWithStorageAndFlushSettingsThenQuery() async throws {
        try await WebTestSupport.withMaster { master, client in
            try await Self.twoBrokers(client)
            let added = try await client.modify(
                "admin_add_new_topic_record",
                "topicName=t_a,t_b&brokerId=1,2,3&createUser=ops&unfDskMsgCnt=100&unflushInterval=2000"
                    + "&memCacheMsgSizeInMB=8&numTopicStores=2&deletePolicy=delete,36h"
            )
            #expect(added.count == 6, "topics × brokers")
            #expect(added.data.first?.keys == ["brokerId", "topicName", "success", "errCode", "errInfo"])
            let failures = added.data.filter { $0.bool("success") == false }
            #expect(failures.map { $0.number("brokerId") } == [3, 3])
            #expect(failures.allSatisfy { $0.number("errCode") == 401 })

            let settings = try #require(await master.topic(named: "t_a")?.deployment(on: 2)?.settings)
            #expect(settings.unflushThreshold == 100)
            #expect(settings.unflushInterval == 2000)
            #expect(settings.memCacheMsgSizeInMB == 8)
            #expect(settings.numTopicStores == 2)
            #expect(settings.numPartitions == 2, "inherited from broker 2's defaults")
            #expect(settings.deletePolicy == "delete,36h")

            let again = try await client.modify("admin_add_topic_deploy_info", "topic=t_a&brokerId=1&cur=ops")
            #expect(again.data.first?.number("errCode") == 402)
            let badName = try await client.modify(
                "admin_add_new_topic_record",
                "topicName=9bad&brokerId=1&createUser=ops"
            )
            #expect(badName.result == false)
            #expect(badName.errCode == 400)
            let noBroker = try await client.modify("admin_add_new_topic_record", "topicName=t_c&createUser=ops")
            #expect(noBroker.errMsg == "Parameter brokerId is missing or value is blank!")

            let flat = try await client.query("admin_query_topic_deploy_configure", "topicName=t_a")
            #expect(flat.count == 2)
            let deploy = try #require(flat.data.first)
            #expect(deploy.keys == Self.deployKeys)
            #expect(deploy.number("unflushThreshold") == 100)
            #expect(deploy.number("brokerPort") == 8123)

            let info = try await client.query("admin_query_topic_info", "topicName=t_a,t_b&brokerId=2")
            #expect(info.count == 2)
            let topic = try #require(info.data.first)
            #expect(
                topic.keys == [
                    "topicName", "maxMsgSizeInMB", "topicInfo", "infoCount", "totalCfgNumPart", "isSrvAcceptPublish",
                    "isSrvAcceptSubscribe", "totalRunNumPartCount", "authData",
                ]
            )
            #expect(topic.number("infoCount") == 1)
            #expect(topic.number("totalCfgNumPart") == 4)
            #expect(topic.number("totalRunNumPartCount") == 0, "no broker is running")
            let deployment = try #require(topic.objects("topicInfo").first)
            #expect(deployment.keys == Self.deployKeys + ["runInfo"])
            #expect(deployment.objects("runInfo").isEmpty)
            #expect(deployment["runInfo"]?.object?.string("acceptPublish") == "-")
            #expect(
                deployment["runInfo"]?.object?.keys
                    == ["acceptPublish", "acceptSubscribe", "numPartitions", "brokerManageStatus"],
                "TubeMQ's four keys while the broker has not reported"
            )

            let deployed = try await client.query("admin_query_deployed_topics", "brokerId=1")
            #expect(deployed.data.first?["topicName"] == .array(["t_a", "t_b"]))
            let brokers = try await client.query("admin_query_deployed_broker_ids", "topicName=t_b&withIp=true")
            #expect(brokers.data.first?.number("brokerCnt") == 2)
        }
    }

    @Test func modifyDeleteRedoRemove() async throws {
        try await WebTestSupport.withMaster { master, client in
            try await Self.twoBrokers(client)
            _ = try await client.modify("admin_add_topic_deploy_info", "topicName=t_m&brokerId=1&createUser=ops")
            let grown = try await client.modify(
                "admin_modify_topic_info",
                "topicName=t_m&brokerId=1&modifyUser=ops&numPartitions=5&acceptPublish=false"
            )
            #expect(grown.data.first?.bool("success") == true)
            let settings = try #require(await master.topic(named: "t_m")?.deployment(on: 1)?.settings)
            #expect(settings.numPartitions == 5)
            #expect(settings.acceptPublish == false)
            let again = try await client.modify(
                "admin_modify_topic_info",
                "topicName=t_m&brokerId=1&modifyUser=ops&numPartitions=5&acceptPublish=false"
            )
            #expect(again.data.first?.number("errCode") == 403, "nothing changes: \(again.text)")
            #expect(again.data.first?.string("errInfo") == "Data not changed for brokerId=1, topicName=t_m!")
            let nothing = try await client.modify("admin_modify_topic_info", "topicName=t_m&brokerId=1&modifyUser=ops")
            #expect(nothing.data.first?.number("errCode") == 403, "no value given")
            let shrunk = try await client.modify(
                "admin_update_topic_deploy_info",
                "topicName=t_m&brokerId=1&modifyUser=ops&numPartitions=2"
            )
            #expect(shrunk.data.first?.number("errCode") == 407)
            let missing = try await client.modify("admin_modify_topic_info", "topicName=t_m&brokerId=2&modifyUser=ops")
            #expect(missing.data.first?.number("errCode") == 401)

            let inUse = try await client.modify("admin_delete_topic_info", "topicName=t_m&brokerId=1&modifyUser=ops")
            #expect(inUse.data.first?.number("errCode") == 406, "acceptSubscribe is still true")
            #expect(
                inUse.data.first?.string("errInfo")
                    == "The topic t_m's acceptPublish and acceptSubscribe status must be false in broker=1 before topic deleted!"
            )
            _ = try await client.modify(
                "admin_modify_topic_info",
                "topicName=t_m&brokerId=1&modifyUser=ops&acceptSubscribe=false"
            )
            _ = try await client.modify("admin_delete_topic_info", "topicName=t_m&brokerId=1&modifyUser=ops")
            #expect(await master.topic(named: "t_m")?.deployment(on: 1)?.status == .softDeleted)
            let deleted = try await client.query("admin_query_topic_deploy_configure", "topicName=t_m&topicStatusId=1")
            #expect(deleted.data.first?.number("topicStatusId") == 1)
            let twice = try await client.modify(
                "admin_delete_topic_deploy_info",
                "topicName=t_m&brokerId=1&modifyUser=ops"
            )
            #expect(twice.data.first?.number("errCode") == 200, "soft-deleting again is a no-op, as in TubeMQ")
            _ = try await client.modify("admin_redo_deleted_topic_info", "topicName=t_m&brokerId=1&modifyUser=ops")
            #expect(await master.topic(named: "t_m")?.deployment(on: 1)?.status == .normal)
            _ = try await client.modify("admin_delete_topic_info", "topicName=t_m&brokerId=1&modifyUser=ops")
            let removed = try await client.modify("admin_remove_topic_info", "topicName=t_m&brokerId=1&modifyUser=ops")
            #expect(removed.data.first?.bool("success") == true)
            #expect(await master.topic(named: "t_m")?.deployment(on: 1)?.status == .softRemoved)
        }
    }

    @Test func topicControlAndClusterDefaults() async throws {
        try await WebTestSupport.withMaster { master, client in
            let added = try await client.modify(
                "admin_add_topic_control_info",
                "topicName=t_c&createUser=ops&maxMsgSizeInMB=4"
            )
            #expect(added.data.first?.keys == ["topicName", "success", "errCode", "errInfo"])
            #expect(await master.topic(named: "t_c")?.maxMsgSizeInMB == 4)
            let again = try await client.modify("admin_add_topic_control_info", "topicName=t_c&createUser=ops")
            #expect(again.data.first?.number("errCode") == 402)
            let tooBig = try await client.modify(
                "admin_update_topic_control_info",
                "topicName=t_c&modifyUser=ops&maxMsgSizeInMB=21"
            )
            #expect(tooBig.errMsg == "Parameter maxMsgSizeInMB value must be <= 20!")
            let control = try await client.query("admin_query_topic_control_info", "topicName=t_c")
            #expect(
                control.data.first?.keys.prefix(4) == [
                    "topicName", "topicNameId", "enableAuthControl", "maxMsgSizeInMB",
                ]
            )

            let defaults = try await client.query("admin_query_cluster_default_setting")
            let item = try #require(defaults.data.first)
            #expect(
                item.keys.prefix(8) == [
                    "brokerPort", "brokerTLSPort", "brokerWebPort", "maxMsgSizeInMB", "qryPriorityId", "flowCtrlEnable",
                    "flowCtrlRuleCount", "flowCtrlInfo",
                ]
            )
            #expect(item["flowCtrlInfo"] == .array([]))
            let updated = try await client.modify(
                "admin_update_cluster_default_setting",
                "modifyUser=ops&brokerPort=9000&unflushThreshold=77"
            )
            #expect(updated.data.first?.number("brokerPort") == 9000)
            #expect(await master.clusterSettings().topicDefaults.unflushThreshold == 77)
            let set = try await client.modify("admin_set_cluster_default_setting", "createUser=ops&maxMsgSizeInMB=2")
            #expect(set.data.first?.number("brokerPort") == 8123, "set starts from the built-in defaults")
            #expect(set.data.first?.number("unflushThreshold") == 1000)
            let version = try await client.query("admin_query_server_version")
            #expect(version.data.first?.keys == ["version"])
        }
    }
}
