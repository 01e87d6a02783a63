public import Foundation

/// One master of an HA group, as the election lists it (the webapi's `admin_query_master_group_info`).
public struct MasterGroupMember: Sendable, Hashable {
    /// Its RPC and webapi addresses, as its election znode holds them.
    public var address: MasterRole.Address
    /// Whether it is the active master (the lowest candidate).
    public var isActive: Bool
    /// Whether it is the master that answered.
    public var isThisMaster: Bool
    /// When it joined the election (its znode's creation time).
    public var joinedAt: Date

    /// Creates a member.
    public init(address: MasterRole.Address, isActive: Bool, isThisMaster: Bool, joinedAt: Date) {
        self.address = address
        self.isActive = isActive
        self.isThisMaster = isThisMaster
        self.joinedAt = joinedAt
    }
}
