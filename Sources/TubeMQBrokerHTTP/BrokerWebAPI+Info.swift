import TubeMQBroker
import TubeMQWebSupport

/// What the broker serves and who is registered: the method list, the version, the booked groups
/// and the partition registrations.
extension BrokerWebAPI {
    static let infoMethods: [BrokerWebMethod] =
        [
            BrokerWebMethod("admin_get_methods") { _, _ throws(BrokerWebError) in methodList() },
            BrokerWebMethod("admin_query_server_version") { _, _ throws(BrokerWebError) in
                [
                    "result": true, "errCode": 0, "errMsg": "Ok",
                    "data": .array([.object(["version": .string(ServerVersion.text)])]),
                ]
            },
        ]
        + BrokerWebMethod.aliases("admin_query_group", "admin_get_booked_groupname") { api, p throws(BrokerWebError) in
            try await api.bookedGroups(p)
        }
        + BrokerWebMethod.aliases("admin_get_partition_reginfo", "admin_query_consumer_regmap") {
            api,
            _ throws(BrokerWebError) in await api.registrations()
        }

    /// `admin_get_methods`: every method this broker answers, `{id, method}` in name order.
    static func methodList() -> JSONObject {
        let names = methods.keys.sorted()
        let items: [JSON] = names.enumerated().map { index, name in
            .object(["id": .int(index + 1), "method": .string(name)])
        }
        return BrokerEnvelope.dataSet(items)
    }

    /// `admin_query_group` (`admin_get_booked_groupname`): the groups booked on this broker; with
    /// `withDivide=true` split into those with a consumer registered here (`in-cache`) and those with
    /// only committed offsets (`in-zk`, as TubeMQ names them).
    func bookedGroups(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let divide: Bool
        do throws(WebParameterError) {
            divide = try p.bool(.withDivide) ?? false
        } catch {
            throw BrokerWebError(error)
        }
        let booked = await broker.bookedGroups()
        func item(_ type: String, _ groups: [String]) -> JSON {
            .object([
                "type": .string(type), "groupName": .array(groups.map(JSON.string)), "groupCount": .int(groups.count),
            ])
        }
        var items: [JSON]
        if divide {
            let online = Set(await broker.holdings().map(\.group))
            items = [item("in-cache", online.sorted()), item("in-zk", booked.filter { !online.contains($0) })]
        } else {
            items = [item("all", booked)]
        }
        return BrokerEnvelope.dataSet(items, countKey: "dataCount")
    }

    /// `admin_get_partition_reginfo` (`admin_query_consumer_regmap`): each registered partition
    /// (`group:topic:partitionId`, TubeMQ's key) and the consumer holding it.
    func registrations() async -> JSONObject {
        let holdings = await broker.holdings().sorted {
            ($0.group, $0.topic, $0.partitionID) < ($1.group, $1.topic, $1.partitionID)
        }
        let items: [JSON] = holdings.enumerated().map { index, holding in
            .object([
                "Partition": .string("\(holding.group):\(holding.topic):\(holding.partitionID)"),
                "Consumer": .string(holding.consumerID), "index": .int(index + 1),
            ])
        }
        return BrokerEnvelope.dataSet(items)
    }
}
