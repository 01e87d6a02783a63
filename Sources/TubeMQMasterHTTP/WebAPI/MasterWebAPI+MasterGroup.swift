import TubeMQMaster
import TubeMQWebSupport

/// The HA group methods (admin-api.md §5.3): who the masters are, and handing the active role over.
extension MasterWebAPI {
    /// `groupName` of a group elected through ZooKeeper, as TubeMQ's ZooKeeper meta store names it.
    static let zooKeeperGroupName = "ZooKeeper HA Cluster"

    static let masterGroupMethods: [MasterWebMethod] = [
        .query("admin_query_master_group_info") { api, _ throws(WebParameterError) in
            guard let role = api.role else {
                // One master on its own store: a group of itself, always writable.
                return masterGroupInfo(name: "Standalone master", members: [], writable: true)
            }
            guard let members = await role.groupMembers() else {
                return [
                    "result": false, "errCode": 500,
                    "errMsg": "Cannot list the masters: ZooKeeper is not reachable from this master", "data": [],
                ]
            }
            return masterGroupInfo(
                name: zooKeeperGroupName,
                members: members,
                writable: members.contains(where: \.isActive)
            )
        },
        .modify("admin_transfer_current_master") { api, _ throws(WebParameterError) in
            // The active master of an HA group steps down and the next candidate takes over.
            guard let role = api.role else {
                return Envelope.failure(
                    "This master is not part of an HA master group: there is no other master to transfer to!"
                )
            }
            guard await role.transferActive() else { return Envelope.failure("This master is not the active master!") }
            return Envelope.success(message: "TransferMaster method called, please wait 20 seconds!")
        },
    ]

    /// `admin_query_master_group_info`'s own envelope: `errMsg` "Ok", the group's name, whether a
    /// primary node is active (a BDB notion, always `false` here), one item per master with its
    /// status (`Master` for the active one, `Slave` for a standby) and join time in milliseconds,
    /// then `count` and the group status.
    static func masterGroupInfo(name: String, members: [MasterGroupMember], writable: Bool) -> JSONObject {
        let items: [JSON] = members.enumerated().map { index, member in
            .object([
                "index": .int(index),
                "name": .string("\(member.address.host):\(member.address.port)"),
                "hostName": .string(member.address.host),
                "port": .string(String(member.address.port)),
                "statusInfo": .object([
                    "nodeStatus": .string(member.isActive ? "Master" : "Slave"),
                    "joinTime": .int(Int(member.joinedAt.timeIntervalSince1970 * 1000)),
                ]),
            ])
        }
        return [
            "result": true, "errCode": 0, "errMsg": "Ok", "groupName": .string(name), "isPrimaryNodeActive": false,
            "data": .array(items), "count": .int(items.count),
            "groupStatus": .string(writable ? "Running-ReadWrite" : "Abnormal"),
        ]
    }
}
