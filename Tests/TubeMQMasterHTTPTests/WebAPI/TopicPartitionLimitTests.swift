import Testing
import TubeMQMaster
import TubeMQWebSupport

/// Partition counts the partition-id layout cannot hold, and garbage values, are refused on topic
/// add and modify and on broker defaults (admin-api.md §4.2).
@Suite struct TopicPartitionLimitTests {
    @Test(arguments: [
        ("numPartitions=999999", "Parameter numPartitions value must be <= 9999!"),
        ("numPartitions=10000", "Parameter numPartitions value must be <= 9999!"),
        ("numTopicStores=10000", "Parameter numTopicStores value must be <= 100!"),
        ("numTopicStores=101", "Parameter numTopicStores value must be <= 100!"),
        ("numPartitions=0", "Parameter numPartitions value must be >= 1!"),
        ("numPartitions=-3", "Parameter numPartitions value must be >= 1!"),
        ("numPartitions=4x", "Parameter numPartitions value 4x must be an integer!"),
        ("numPartitions=%3Cb%3E", "Parameter numPartitions value <b> must be an integer!"),
        (
            "numPartitions=99999999999999999999",
            "Parameter numPartitions value 99999999999999999999 must be an integer!"
        ),
    ])
    func absurdValuesAreRefused(parameter: String, message: String) async throws {
        try await WebTestSupport.withMaster { master, client in
            _ = try await client.modify("admin_add_broker_configure", "brokerId=1&brokerIp=127.0.0.1&createUser=ops")
            let added = try await client.modify(
                "admin_add_new_topic_record",
                "topicName=tp&brokerId=1&createUser=ops&\(parameter)"
            )
            #expect(added.result == false)
            #expect(added.errCode == 400)
            #expect(added.errMsg?.contains(message) == true, "\(added.errMsg ?? "")")
            #expect(await master.topic(named: "tp") == nil, "nothing stored")

            let ok = try await client.modify(
                "admin_add_new_topic_record",
                "topicName=tp&brokerId=1&createUser=ops&numPartitions=9999"
            )
            #expect(ok.data.first?.bool("success") == true, "9999 fits the layout")
            let modified = try await client.modify(
                "admin_modify_topic_info",
                "topicName=tp&brokerId=1&modifyUser=ops&\(parameter)"
            )
            #expect(modified.result == false)
            #expect(modified.errMsg?.contains(message) == true, "\(modified.errMsg ?? "")")
            #expect(await master.topic(named: "tp")?.deployment(on: 1)?.settings.numPartitions == 9999)

            let broker = try await client.modify(
                "admin_update_broker_configure",
                "brokerId=1&modifyUser=ops&\(parameter)"
            )
            #expect(broker.result == false)
            #expect(broker.errMsg?.contains(message) == true, "\(broker.errMsg ?? "")")
        }
    }
}
