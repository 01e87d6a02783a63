/// The durable, admin-set part of a consumer group: which topics it may not consume
/// (the "blacklist" of `admin_add_black_consumergroup_info` / group consume control), which it may
/// consume only through filters (consume control's `filterEnable`), and its resource control
/// (flow-control rules).
public struct GroupSettings: Sendable, Hashable, Codable {
    /// The group name.
    public var name: String
    /// Topics the group may not consume, with the reason given (`disableCsmRsn`).
    public var consumeDisabled: [String: String]
    /// Topics the group may consume only with filters, each with the filter items allowed
    /// (`filterConds`; empty: none, so nothing of the topic may be consumed).
    public var consumeFilters: [String: Set<String>] = [:]
    /// The group's resource control (flow-control rules, read priority), `nil` when none is set.
    public var resourceControl: GroupResourceControl?
    /// The audit stamp.
    public var stamp: RecordStamp

    /// Whether nothing is set, so the record can go.
    public var isEmpty: Bool { consumeDisabled.isEmpty && consumeFilters.isEmpty && resourceControl == nil }

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

    private enum CodingKeys: String, CodingKey {
        case name, consumeDisabled, consumeFilters, resourceControl, stamp
    }

    /// Decodes settings; records stored before filters existed have none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        consumeDisabled = try container.decode([String: String].self, forKey: .consumeDisabled)
        consumeFilters = try container.decodeIfPresent([String: Set<String>].self, forKey: .consumeFilters) ?? [:]
        resourceControl = try container.decodeIfPresent(GroupResourceControl.self, forKey: .resourceControl)
        stamp = try container.decode(RecordStamp.self, forKey: .stamp)
    }
}
