import TubeMQCore
import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// Consumer group queries (admin-api.md §5.5): which groups are online, their members and the
/// partitions each member holds.
extension MasterWebAPI {
    static let groupMethods: [MasterWebMethod] = [
        .query("admin_query_sub_info") { api, p throws(WebParameterError) in
            let names = Set(try api.groupNames(p, required: false))
            let topics = Set(try p.list(.topicName))
            let items: [JSONObject] = await api.master.groups().compactMap { group in
                guard names.isEmpty || names.contains(group.name) else { return nil }
                guard topics.isEmpty || !group.topics.isDisjoint(with: topics) else { return nil }
                return [
                    "consumeGroup": .string(group.name), "topicSet": .array(group.topics.sorted().map(JSON.string)),
                    "consumerNum": .int(group.members.count),
                ]
            }
            return Envelope.success(objects: items)
        },
        .query("admin_query_group_info_by_topic") { api, p throws(WebParameterError) in
            let names = Set(try p.list(.topicName))
            let groups = await api.master.groups()
            var topics = Set(groups.flatMap(\.topics))
            if !names.isEmpty { topics = names }
            let items: [JSONObject] = topics.sorted().map { topic in
                let subscribers = groups.filter { $0.topics.contains(topic) }.map { JSON.string($0.name) }
                return [
                    "topicName": .string(topic), "groupSet": .array(subscribers), "groupCnt": .int(subscribers.count),
                ]
            }
            return Envelope.success(objects: items)
        },
        .query("admin_query_consume_group_detail") { api, p throws(WebParameterError) in
            guard let name = try api.groupNames(p, required: true).first else {
                throw .missing(.groupName)
            }
            if await api.master.group(named: name) == nil,
                let client = await api.master.clientBalanceGroups().first(where: { $0.name == name })
            {
                return Self.clientGroupDetail(client, brokers: await api.master.servingBrokers().brokers)
            }
            return Self.groupDetail(name, await api.master.group(named: name))
        },
    ]

    /// The `groupName` list, or the deprecated `consumeGroup` when groupName is absent.
    func groupNames(_ p: WebParameters, required: Bool) throws(WebParameterError) -> [String] {
        let names = try p.list(.groupName)
        if !names.isEmpty { return names }
        let old = try p.list(.consumeGroup)
        if old.isEmpty, required { throw .missing(.groupName) }
        return old
    }

    /// `admin_query_consume_group_detail`'s own envelope: the group's topics, type, filters and
    /// members, each with the partitions it holds. A group without members answers `count` 0.
    static func groupDetail(_ name: String, _ group: ConsumerGroup?) -> JSONObject {
        let members = group?.sortedMembers ?? []
        var out: JSONObject = [
            "result": true, "errCode": 0, "errMsg": "OK", "count": .int(members.count),
            "topicSet": .array((group?.topics.sorted() ?? []).map(JSON.string)), "consumeGroup": .string(name),
            "re-rebalance": .object(rejoins(group)),
            "isBandConsume": .string(group?.bound == nil ? "CONSUME_NORMAL" : "CONSUME_BAND"),
        ]
        if let group, let bound = group.bound {
            out.append("isNotAllocate", .bool(group.notAllocated))
            out.append("sessionKey", .string(bound.sessionKey))
            out.append("isSelectBig", .bool(bound.selectBig))
            out.append("reqSourceCount", .int(bound.totalCount))
            out.append("curSourceCount", .int(group.members.count))
            out.append("rebalanceCheckTime", .number(bound.sessionTime))
        }
        let rebalance: JSONObject = [
            "isRebalanced": .bool(group?.allocated ?? false), "checkPasted": true, "defBClientRate": -2,
            "confBClientRate": -2, "curBClientRate": -2, "minRequireClientCnt": -2,
        ]
        out.append("rebInfo", .object(rebalance))
        var filters = JSONObject()
        for (topic, items) in (group?.filters ?? [:]).sorted(by: { $0.key < $1.key }) {
            filters.append(topic, .array(items.sorted().map(JSON.string)))
        }
        out.append("filterConds", .object(filters))
        out.append("data", .array(members.map { .object(member($0, bound: group?.bound)) }))
        return out
    }

    /// The members asked to rejoin (`admin_rebalance_group_allocate`) and not balanced in again
    /// yet, with the wait asked for (ms), by client id.
    static func rejoins(_ group: ConsumerGroup?) -> JSONObject {
        var out = JSONObject()
        for (id, rejoin) in (group?.rejoins ?? [:]).sorted(by: { $0.key < $1.key }) {
            out.append(id, .number(rejoin.waitMs))
        }
        return out
    }

    /// One consumer: who it is, its bound-consume start offsets, and the partitions it holds.
    static func member(_ member: ConsumerMember, bound: BoundSession?) -> JSONObject {
        let resets = member.requiredOffsets.sorted { $0.key < $1.key }.map { key, offset -> JSON in
            .object(["partitionKey": .string(key), "Offset": .number(offset)])
        }
        let held = member.heldPartitions.map { partition -> JSON in
            .object([
                "partId": .int(partition.id),
                "brokerAddr": .string("\(partition.broker.host):\(partition.broker.port)"),
                "topicName": .string(partition.topic),
            ])
        }
        return [
            "consumerId": .string(member.clientID), "receivedFrom": .string(member.hostName),
            "isOverTLS": .bool(member.overTLS),
            "initReSetPartCount": .int(resets.count), "initReSetPartInfo": .array(resets),
            "sourceCount": .int(bound?.totalCount ?? -1), "nodeId": 0, "parCount": .int(held.count),
            "parInfo": .array(held),
        ]
    }

    /// `admin_query_consume_group_detail` for a client-balanced group: type `CONSUME_CLIENT_REB`,
    /// the topic metadata version and entries (`topicMetaId`, `metaDetails`), and each member's
    /// node and the partitions it reports consuming.
    static func clientGroupDetail(_ group: ClientBalanceGroup, brokers: [BrokerInfo]) -> JSONObject {
        let members = group.sortedMembers
        let addresses = Dictionary(
            brokers.map { ($0.id, "\($0.host):\($0.port)") },
            uniquingKeysWith: { first, _ in first }
        )
        var out: JSONObject = [
            "result": true, "errCode": 0, "errMsg": "OK", "count": .int(members.count),
            "topicSet": .array(group.topics.sorted().map(JSON.string)), "consumeGroup": .string(group.name),
            "re-rebalance": .object(JSONObject()), "isBandConsume": "CONSUME_CLIENT_REB",
            "topicMetaId": .number(group.topicMetaID),
            "metaDetails": .array(
                group.topicMeta.map { meta in
                    .string(
                        meta.topic + "#"
                            + meta.deployments.map {
                                "\($0.brokerID):\($0.numTopicStores):\($0.numPartitions):\($0.subscribable ? 1 : 0)"
                            }.joined(separator: ",")
                    )
                }
            ),
        ]
        var filters = JSONObject()
        for (topic, items) in group.filters.sorted(by: { $0.key < $1.key }) {
            filters.append(topic, .array(items.sorted().map(JSON.string)))
        }
        out.append("filterConds", .object(filters))
        let data = members.map { member -> JSON in
            let held = member.reported.values.sorted { $0.key < $1.key }.map { partition -> JSON in
                .object([
                    "partId": .int(partition.partitionID),
                    "brokerAddr": .string(addresses[partition.brokerID] ?? "\(partition.brokerID)"),
                    "topicName": .string(partition.topic),
                ])
            }
            return .object([
                "consumerId": .string(member.clientID), "receivedFrom": .string(member.hostName), "isOverTLS": false,
                "initReSetPartCount": 0, "initReSetPartInfo": .array([]), "sourceCount": .int(member.sourceCount),
                "nodeId": .int(member.nodeID), "parCount": .int(held.count), "parInfo": .array(held),
            ])
        }
        out.append("data", .array(data))
        return out
    }
}
