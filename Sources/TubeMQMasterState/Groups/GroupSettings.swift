/// The durable, admin-set part of a consumer group: which topics it may not consume
/// (the "blacklist" of `admin_add_black_consumergroup_info` / group consume control) and its
/// resource control (flow-control rules).
public struct GroupSettings: Sendable, Hashable, Codable {
    /// The group name.
    public var name: String
    /// Topics the group may not consume, with the reason given (`disableCsmRsn`).
    public var consumeDisabled: [String: String]
    /// The group's resource control (flow-control rules, read priority), `nil` when none is set.
    public var resourceControl: GroupResourceControl?
    /// The audit stamp.
    public var stamp: RecordStamp

    /// Whether nothing is set, so the record can go.
    public var isEmpty: Bool { consumeDisabled.isEmpty && resourceControl == nil }

    /// Creates group settings.
    public init(
        name: String,
        consumeDisabled: [String: String] = [:],
        resourceControl: GroupResourceControl? = nil,
        stamp: RecordStamp
    ) {
        self.name = name
        self.consumeDisabled = consumeDisabled
        self.resourceControl = resourceControl
        self.stamp = stamp
    }
}
