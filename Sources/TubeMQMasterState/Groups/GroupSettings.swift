/// The durable, admin-set part of a consumer group: which topics it may not consume
/// (the "blacklist" of `admin_add_black_consumergroup_info` / group consume control).
public struct GroupSettings: Sendable, Hashable, Codable {
    /// The group name.
    public var name: String
    /// Topics the group may not consume, with the reason given (`disableCsmRsn`).
    public var consumeDisabled: [String: String]
    /// The audit stamp.
    public var stamp: RecordStamp

    /// Creates group settings.
    public init(name: String, consumeDisabled: [String: String] = [:], stamp: RecordStamp) {
        self.name = name
        self.consumeDisabled = consumeDisabled
        self.stamp = stamp
    }
}
