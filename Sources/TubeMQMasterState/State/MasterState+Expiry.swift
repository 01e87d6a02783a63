extension MasterState {
    /// Drops every producer and consumer whose last heartbeat is at least its timeout old, and takes
    /// brokers silent for the broker timeout offline.
    ///
    /// A dropped consumer leaves its group like a closed one. The actor calls this from
    /// ``tick(now:)``; calling it directly is fine too.
    /// - Returns: one directive per expiry, then a broker-list change if one happened.
    public mutating func expire(now: Int64) -> [MasterDirective] {
        var directives: [MasterDirective] = []
        for id in producersByID.keys.sorted() {
            guard let producer = producersByID[id],
                now - producer.lastHeartbeatAt >= configuration.producerHeartbeatTimeoutMs
            else { continue }
            producersByID[id] = nil
            directives.append(.producerExpired(clientID: id))
        }
        for name in groupsByName.keys.sorted() {
            let members = groupsByName[name]?.sortedMembers ?? []
            for member in members where now - member.lastHeartbeatAt >= configuration.consumerHeartbeatTimeoutMs {
                removeConsumer(member.clientID, group: name)
                directives.append(.consumerExpired(clientID: member.clientID, group: name))
                if groupsByName[name] != nil { balanceSoon(now: now) }
            }
        }
        for name in clientGroupsByName.keys.sorted() {
            let members = clientGroupsByName[name]?.sortedMembers ?? []
            for member in members where now - member.lastHeartbeatAt >= configuration.consumerHeartbeatTimeoutMs {
                removeClientBalanceConsumer(member.clientID, group: name)
                directives.append(.consumerExpired(clientID: member.clientID, group: name))
            }
        }
        for id in brokerRuntimes.keys.sorted() {
            guard let runtime = brokerRuntimes[id], runtime.state == .registered || runtime.state == .online,
                now - runtime.lastHeartbeatAt >= configuration.brokerHeartbeatTimeoutMs
            else { continue }
            brokerRuntimes[id]?.state = .offline
            directives.append(.brokerExpired(id: id))
        }
        if let changed = refreshServingBrokers(now: now) { directives.append(changed) }
        return directives
    }
}
