/// One cluster of a ``BidConsumer`` or ``BidProducer``: a name and the cluster's masters.
///
/// The clusters of a bid client are separate TubeMQ clusters (each its own masters and brokers) that
/// carry the same topics; the name tells them apart in messages, results and logs.
public struct BidCluster: Sendable, Hashable, CustomStringConvertible {
    /// The name shown in ``BidMessage/cluster`` and ``BidSendResult/cluster``; unique within a client.
    public var name: String
    /// The masters of the cluster, tried in order (the active one answers, standbys are skipped).
    public var masters: [MasterAddress]

    /// Creates a cluster; its name defaults to the master list as written on the command line
    /// (`host:port,host:port`).
    public init(name: String? = nil, masters: [MasterAddress]) {
        self.name = name ?? masters.map(\.description).joined(separator: ",")
        self.masters = masters
    }

    public var description: String { name }

    /// Checks a cluster list: at least one cluster, each with masters, no name twice.
    static func validate(_ clusters: [BidCluster]) throws(ClientError) {
        guard !clusters.isEmpty else { throw ClientError(.invalidArgument, "no cluster given") }
        var names: Set<String> = []
        for cluster in clusters {
            guard !cluster.masters.isEmpty else {
                throw ClientError(.invalidArgument, "cluster \(cluster.name) has no master address")
            }
            guard !cluster.name.isEmpty else { throw ClientError(.invalidArgument, "a cluster has an empty name") }
            guard names.insert(cluster.name).inserted else {
                throw ClientError(.invalidArgument, "cluster \(cluster.name) is given twice")
            }
        }
    }
}
