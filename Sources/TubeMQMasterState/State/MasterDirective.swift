/// Something the master actor must do after a call into ``MasterState``: persist or delete a
/// metadata record, or take note of an expiry.
///
/// Directives come in the order the changes were made; performing them in order keeps the metadata
/// store consistent with the state.
public enum MasterDirective: Sendable, Hashable {
    /// Store the cluster default settings.
    case persistClusterSettings(ClusterSettings)
    /// Store (insert or replace) a broker record.
    case persistBroker(BrokerRecord)
    /// Delete a broker record.
    case deleteBroker(id: Int32)
    /// Store (insert or replace) a topic with all its deployments.
    case persistTopic(Topic)
    /// Delete a topic record.
    case deleteTopic(name: String)
    /// Store (insert or replace) a group's durable settings.
    case persistGroup(GroupSettings)
    /// Delete a group's durable settings.
    case deleteGroup(name: String)
    /// A producer missed its heartbeats and was dropped.
    case producerExpired(clientID: String)
    /// A consumer missed its heartbeats and was dropped from its group.
    case consumerExpired(clientID: String, group: String)
    /// A broker missed its heartbeats and went offline.
    case brokerExpired(id: Int32)
    /// The list of brokers in service changed; producers will get it with their next heartbeat.
    case brokerListChanged(checksum: Int64)
}
