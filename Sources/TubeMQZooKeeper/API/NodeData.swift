/// A node's data and metadata, as read by ``ZooKeeperClient/getData(_:)``.
public struct NodeData: Sendable, Hashable {
    /// The data (empty for a node created with no data).
    public var data: [UInt8]
    /// The node's stat; `stat.version` is the version to pass to a conditional write.
    public var stat: Stat

    /// Creates a value.
    public init(data: [UInt8], stat: Stat) {
        self.data = data
        self.stat = stat
    }
}

/// A node's children and its stat, as read by ``ZooKeeperClient/getChildren(_:)``.
public struct NodeChildren: Sendable, Hashable {
    /// The children's names (no parent prefix), in no particular order.
    public var names: [String]
    /// The parent's stat.
    public var stat: Stat

    /// Creates a value.
    public init(names: [String], stat: Stat) {
        self.names = names
        self.stat = stat
    }
}
