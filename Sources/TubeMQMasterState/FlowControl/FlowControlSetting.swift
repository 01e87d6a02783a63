public import TubeMQCore

/// A set of flow-control rules as the master stores them: on or off, the rules, and their version
/// (`defFlowCheckId` / `groupFlowCheckId` / `serialId`), which changes with every change.
public struct FlowControlSetting: Sendable, Hashable, Codable {
    /// Whether the rules apply (`flowCtrlEnable`, old `statusId` 1).
    public var enabled: Bool
    /// The rules.
    public var rules: FlowControlRules
    /// The version: the time of the latest change, strictly increasing.
    public var version: Int64

    /// Creates a setting.
    public init(enabled: Bool, rules: FlowControlRules, version: Int64) {
        self.enabled = enabled
        self.rules = rules
        self.version = version
    }
}

/// A consumer group's resource control (`admin_add_group_resctrl_info`, admin-api.md §5.4): its
/// flow-control rules and read priority, delivered to its consumers in their heartbeat replies.
public struct GroupResourceControl: Sendable, Hashable, Codable {
    /// Whether the group's consumer count is checked against brokers (`resCheckEnable`).
    public var resCheckEnable: Bool
    /// Brokers allowed per consumer when checked (`alwdBrokerClientRate`).
    public var allowedBrokerClientRate: Int32
    /// The group's read priority (`qryPriorityId`).
    public var qryPriorityID: Int32
    /// The group's flow-control rules.
    public var flowControl: FlowControlSetting
    /// The audit stamp.
    public var stamp: RecordStamp

    /// Creates a resource control record.
    public init(
        resCheckEnable: Bool,
        allowedBrokerClientRate: Int32,
        qryPriorityID: Int32,
        flowControl: FlowControlSetting,
        stamp: RecordStamp
    ) {
        self.resCheckEnable = resCheckEnable
        self.allowedBrokerClientRate = allowedBrokerClientRate
        self.qryPriorityID = qryPriorityID
        self.flowControl = flowControl
        self.stamp = stamp
    }
}

/// Changes to a group's resource control; `nil` keeps the current value (or the default on add).
public struct GroupResourceControlPatch: Sendable, Hashable {
    public var resCheckEnable: Bool?
    public var allowedBrokerClientRate: Int32?
    public var qryPriorityID: Int32?
    public var flowControlEnabled: Bool?
    public var rules: FlowControlRules?

    /// Creates a patch.
    public init(
        resCheckEnable: Bool? = nil,
        allowedBrokerClientRate: Int32? = nil,
        qryPriorityID: Int32? = nil,
        flowControlEnabled: Bool? = nil,
        rules: FlowControlRules? = nil
    ) {
        self.resCheckEnable = resCheckEnable
        self.allowedBrokerClientRate = allowedBrokerClientRate
        self.qryPriorityID = qryPriorityID
        self.flowControlEnabled = flowControlEnabled
        self.rules = rules
    }
}

/// What a consumer of a group is told about flow control (heartbeat and register replies).
public struct ConsumerFlowControl: Sendable, Hashable {
    /// The cluster default rules, when enabled.
    public var defaults: FlowControlSetting?
    /// The group's rules, when enabled.
    public var group: FlowControlSetting?
    /// The group's read priority, when its resource control enables flow control.
    public var qryPriorityID: Int32?
}
