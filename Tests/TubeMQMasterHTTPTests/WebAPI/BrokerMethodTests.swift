import Testing
import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// `admin_*_broker_configure` (admin-api.md §5.1).
@Suite struct BrokerMethodTests {
    static let brokerKeys = [
        "brokerId", "brokerIp", "brokerPort", "brokerTLSPort", "brokerWebPort", "manageStatus", "isConfChanged",
        "isConfLoaded", "regionId", "groupId", "numTopicStores", "numPartitions", "unflushThreshold", "unflushInterval",
        "unflushDataHold", "memCacheMsgSizeInMB", "memCacheMsgCntInK", "memCacheFlushIntvl", "acceptPublish",
        "acceptSubscribe", "deletePolicy", "dataStoreType", "dataPath", "dataVersionId", "serialId", "createUser",
        "createDate", "modifyUser", "modifyDate",
    ]

    @Test func addQueryAndValidate() async throws {
        try await WebTestSupport.withMaster { master, client in
            let added = try await client.modify(
                "admin_add_broker_configure",
                "brokerId=7&brokerIp=127.0.0.1&brokerPort=9123&createUser=alice&numPart=2"
            )
            #expect(added.keys == ["result", "errCode", "errMsg", "data", "count"])
            #expect(added.count == 1)
            let record = try #require(added.data.first)
            #expect(record.keys == ["brokerId", "brokerIp", "success", "errCode", "errInfo"])
            #expect(record.number("brokerId") == 7)
            #expect(record.bool("success") == true)
            #expect(record.number("errCode") == 200)
            #expect(record.string("errInfo") == "Ok!")

            let duplicate = try await client.modify(
                "admin_add_broker_configure",
                "brokerId=7&brokerIp=127.0.0.2&createUser=alice"
            )
            #expect(duplicate.result == true, "per-record failures keep result true")
            #expect(duplicate.data.first?.bool("success") == false)
            #expect(duplicate.data.first?.number("errCode") == 402)

            let derived = try await client.modify("admin_add_broker_configure", "brokerIp=10.1.2.3&createUser=alice")
            #expect(derived.data.first?.number("brokerId") == Int64(IPv4Address("10.1.2.3")!.derivedBrokerID))

            let noUser = try await client.modify("admin_add_broker_configure", "brokerIp=10.1.2.4")
            #expect(
                noUser.text
                    == #"{"result":false,"errCode":400,"errMsg":"Parameter createUser is missing or value is blank!"}"#
            )
            let badIP = try await client.modify("admin_add_broker_configure", "brokerIp=10.1.2&createUser=alice")
            #expect(badIP.result == false)
            #expect(badIP.errCode == 400)
            let badPort = try await client.modify(
                "admin_add_broker_configure",
                "brokerIp=10.1.2.5&createUser=alice&brokerPort=70000"
            )
            #expect(badPort.errMsg == "Parameter brokerPort value must be <= 65535!")
            let clash = try await client.modify(
                "admin_add_broker_configure",
                "brokerIp=10.1.2.6&createUser=alice&brokerPort=8081"
            )
            #expect(clash.data.first?.number("errCode") == 407, "brokerPort equal to brokerWebPort")

            let all = try await client.query("admin_query_broker_configure")
            #expect(all.count == 2)
            let one = try await client.query("admin_query_broker_configure", "brokerId=7")
            let broker = try #require(one.data.first)
            #expect(one.count == 1)
            #expect(broker.keys == Self.brokerKeys)
            #expect(broker.string("brokerIp") == "127.0.0.1")
            #expect(broker.number("brokerPort") == 9123)
            #expect(broker.number("brokerTLSPort") == 8124)
            #expect(broker.number("brokerWebPort") == 8081)
            #expect(broker.string("manageStatus") == "draft")
            #expect(broker.number("numPartitions") == 2)
            #expect(broker.string("deletePolicy") == "delete,168h")
            #expect(broker.string("createUser") == "alice")
            #expect(broker.string("createDate")?.count == 14)
            let byIP = try await client.query("admin_query_broker_configure", "bIp=10.1.2.3")
            #expect(byIP.count == 1)
            #expect(await master.brokers().count == 2)
        }
    }

    @Test func updateOnlineReadWriteOfflineDelete() async throws {
        try await WebTestSupport.withMaster { master, client in
            _ = try await client.modify("admin_add_broker_configure", "brokerId=1&brokerIp=127.0.0.1&createUser=alice")

            let noUser = try await client.modify("admin_update_broker_configure", "brokerId=1&numPartitions=4")
            #expect(noUser.errMsg == "Parameter modifyUser is missing or value is blank!")
            let noID = try await client.modify("admin_update_broker_configure", "modifyUser=bob&numPartitions=4")
            #expect(noID.errMsg == "Parameter brokerId is missing or value is blank!")
            let tooSmall = try await client.modify(
                "admin_update_broker_configure",
                "brokerId=1&modifyUser=bob&unfMemInt=10"
            )
            #expect(tooSmall.errMsg == "Parameter memCacheFlushIntvl value must be >= 4000!")
            let updated = try await client.modify(
                "admin_update_broker_configure",
                "brokerId=1,99&modifyUser=bob&numPartitions=4&unflushThreshold=500&deletePolicy=delete,12h"
            )
            #expect(updated.count == 2)
            #expect(updated.data[0].bool("success") == true)
            #expect(updated.data[0].string("brokerIp") == "127.0.0.1")
            #expect(updated.data[1].number("brokerId") == 99)
            #expect(updated.data[1].number("errCode") == 401)
            #expect(updated.data[1].string("brokerIp") == "")
            let badPolicy = try await client.modify(
                "admin_update_broker_configure",
                "brokerId=1&modifyUser=bob&deletePolicy=keep,1h"
            )
            #expect(badPolicy.data.first?.number("errCode") == 407)
            let config = try #require(await master.broker(id: 1)?.config)
            #expect(config.defaults.numPartitions == 4)
            #expect(config.defaults.unflushThreshold == 500)
            #expect(config.defaults.deletePolicy == "delete,12h")
            #expect(config.stamp.modifiedBy == "bob")

            let draftRW = try await client.modify(
                "admin_set_broker_read_or_write",
                "brokerId=1&modifyUser=bob&acceptPublish=false"
            )
            #expect(draftRW.data.first?.number("errCode") == 405, "a draft broker cannot change read/write")
            let draftOffline = try await client.modify("admin_offline_broker_configure", "brokerId=1&modifyUser=bob")
            #expect(draftOffline.data.first?.number("errCode") == 406, "a draft broker is not taken offline")
            #expect(await master.broker(id: 1)?.config.manageStatus == .draft)
            let online = try await client.modify("admin_online_broker_configure", "brokerId=1&modifyUser=bob")
            #expect(online.data.first?.bool("success") == true)
            #expect(await master.broker(id: 1)?.config.manageStatus == .online)
            let noFlag = try await client.modify("admin_set_broker_read_or_write", "brokerId=1&modifyUser=bob")
            #expect(noFlag.result == false)
            _ = try await client.modify("admin_set_broker_read_or_write", "brokerId=1&modifyUser=bob&accPub=false")
            #expect(await master.broker(id: 1)?.config.manageStatus == .readOnly)
            let reload = try await client.modify("admin_reload_broker_configure", "brokerId=1&modifyUser=bob")
            #expect(reload.data.first?.bool("success") == true)
            // Clients are sent the recorded port: it does not change under a broker in service.
            let moved = try await client.modify(
                "admin_update_broker_configure",
                "brokerId=1&modifyUser=bob&brokerPort=18123"
            )
            #expect(moved.data.first?.number("errCode") == 406)
            let stillOnline = try await client.modify("admin_delete_broker_configure", "brokerId=1&modifyUser=bob")
            #expect(stillOnline.data.first?.number("errCode") == 406)
            _ = try await client.modify("admin_offline_broker_configure", "brokerId=1&modifyUser=bob")
            #expect(await master.broker(id: 1)?.config.manageStatus == .offline)
            // As TubeMQ: a broker that is not online cannot be reloaded (406).
            let offlineReload = try await client.modify("admin_reload_broker_configure", "brokerId=1&modifyUser=bob")
            #expect(offlineReload.data.first?.number("errCode") == 406)
            let status = try await client.query("admin_query_broker_run_status", "brokerId=1")
            #expect(status.data.first?.string("runStatus") == "notRegister")
            #expect(status.data.first?.string("acceptPublish") == "-")
            let deleted = try await client.modify("admin_delete_broker_configure", "brokerId=1&modifyUser=bob")
            #expect(deleted.data.first?.bool("success") == true)
            #expect(await master.broker(id: 1) == nil)
        }
    }
}
