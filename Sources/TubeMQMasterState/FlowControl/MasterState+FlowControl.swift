public import TubeMQCore

extension MasterState {
    /// Sets the cluster default flow-control rules (`admin_set_def_flow_control_rule` and friends);
    /// `nil` values keep the current ones. Every change takes a new version.
    /// - Throws: ``MasterError`` 407 for a read priority out of range.
    public mutating func setDefaultFlowControl(
        enabled: Bool?,
        rules: FlowControlRules?,
        qryPriorityID: Int32?,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        var settings = clusterSettings
        if let qryPriorityID { settings.qryPriorityID = try Validate.qryPriorityID(qryPriorityID) }
        let current = settings.flowControl ?? FlowControlSetting(enabled: false, rules: FlowControlRules(), version: -2)
        settings.flowControl = FlowControlSetting(
            enabled: enabled ?? current.enabled,
            rules: rules ?? current.rules,
            version: current.version.nextVersion(now: now)
        )
        if settings.stamp == nil { settings.stamp = RecordStamp(createdBy: user, at: now) }
        settings.stamp?.touch(by: user, at: now)
        clusterSettings = settings
        return [.persistClusterSettings(settings)]
    }

    /// Adds (`create`) or updates a group's resource control.
    /// - Throws: ``MasterError`` 400 for a bad group name, 402 when adding one that exists, 401 when
    ///   updating one that does not, 407 for a value out of range.
    public mutating func setGroupResourceControl(
        group name: String,
        _ patch: GroupResourceControlPatch,
        create: Bool,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        if let problem = NameRules.groupProblem(name) { throw .badRequest(problem) }
        var settings =
            groupSettingsByName[name] ?? GroupSettings(name: name, stamp: RecordStamp(createdBy: user, at: now))
        let existing = settings.resourceControl
        if create, existing != nil {
            throw MasterError(code: .recordExists, message: "The group resource control of \(name) already exists!")
        }
        if !create, existing == nil {
            throw MasterError(code: .recordNotFound, message: "No group resource control of \(name) exists!")
        }
        if let rate = patch.allowedBrokerClientRate, rate < 0 {
            throw MasterError(code: .illegalValue, message: "alwdBrokerClientRate must be at least 0!")
        }
        let priority = try Validate.qryPriorityID(
            patch.qryPriorityID ?? existing?.qryPriorityID ?? clusterSettings.qryPriorityID
        )
        let oldFlow =
            existing?.flowControl ?? FlowControlSetting(enabled: false, rules: FlowControlRules(), version: -2)
        var control = GroupResourceControl(
            resCheckEnable: patch.resCheckEnable ?? existing?.resCheckEnable ?? false,
            allowedBrokerClientRate: patch.allowedBrokerClientRate ?? existing?.allowedBrokerClientRate ?? 0,
            qryPriorityID: priority,
            flowControl: FlowControlSetting(
                enabled: patch.flowControlEnabled ?? oldFlow.enabled,
                rules: patch.rules ?? oldFlow.rules,
                version: oldFlow.version.nextVersion(now: now)
            ),
            stamp: existing?.stamp ?? RecordStamp(createdBy: user, at: now)
        )
        control.stamp.touch(by: user, at: now)
        settings.resourceControl = control
        settings.stamp.touch(by: user, at: now)
        groupSettingsByName[name] = settings
        return [.persistGroup(settings)]
    }

    /// Removes a group's resource control (`admin_delete_group_resctrl_info`).
    /// - Throws: ``MasterError`` 401 when the group has none.
    public mutating func deleteGroupResourceControl(
        group name: String,
        by user: String,
        now: Int64
    ) throws(MasterError)
        -> [MasterDirective]
    {
        guard var settings = groupSettingsByName[name], settings.resourceControl != nil else {
            throw MasterError(code: .recordNotFound, message: "No group resource control of \(name) exists!")
        }
        settings.resourceControl = nil
        settings.stamp.touch(by: user, at: now)
        if settings.isEmpty {
            groupSettingsByName[name] = nil
            return [.deleteGroup(name: name)]
        }
        groupSettingsByName[name] = settings
        return [.persistGroup(settings)]
    }

    /// The flow control the consumers of `group` are told about: the enabled default rules, and the
    /// group's rules and read priority when its resource control enables flow control.
    public func flowControl(group: String) -> ConsumerFlowControl {
        let defaults = clusterSettings.flowControl.flatMap { $0.enabled ? $0 : nil }
        guard let control = groupSettingsByName[group]?.resourceControl, control.flowControl.enabled else {
            return ConsumerFlowControl(defaults: defaults, group: nil, qryPriorityID: nil)
        }
        return ConsumerFlowControl(defaults: defaults, group: control.flowControl, qryPriorityID: control.qryPriorityID)
    }
}
