/// Where changes to a security document (the grants, the users) go.
enum SecurityReplication<Value: Codable & Sendable>: Sendable {
    /// This master's own file (or memory): a master on its own.
    case local
    /// The document's znode, while this master is the active one of an HA group.
    case zooKeeper(ReplicatedDocument<Value>)
    /// A standby of an HA group: changes are refused (they go to the active master).
    case standby
}
