public import TubeMQCore
public import TubeMQMasterState

// MARK: - Flow control (admin-api.md §5.4)

extension Master {
    /// Sets the cluster default flow-control rules; `nil` values keep the current ones.
    ///
    /// - Returns: the cluster settings after the change.
    /// - Throws: ``TubeMQMasterState/MasterError`` 407 (read priority out of range), 501, 510.
    @discardableResult
    public func setDefaultFlowControl(
        enabled: Bool?,
        rules: FlowControlRules?,
        qryPriorityID: Int32?,
        by user: String
    ) async throws(MasterError) -> ClusterSettings {
        try await administer { (state, now) throws(MasterError) in
            try state.setDefaultFlowControl(
                enabled: enabled,
                rules: rules,
                qryPriorityID: qryPriorityID,
                by: user,
                now: now
            )
        } result: { state, _ in
            state.clusterSettings
        }
    }

    /// Adds (`create`) or updates a group's resource control.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 400, 401, 402, 407, 501, 510.
    @discardableResult
    public func setGroupResourceControl(
        group: String,
        _ patch: GroupResourceControlPatch,
        create: Bool,
        by user: String
    ) async throws(MasterError) -> GroupSettings? {
        try await administer { (state, now) throws(MasterError) in
            try state.setGroupResourceControl(group: group, patch, create: create, by: user, now: now)
        } result: { state, _ in
            state.groupSettings(named: group)
        }
    }

    /// Removes a group's resource control.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 401 (none set), 501, 510.
    public func deleteGroupResourceControl(group: String, by user: String) async throws(MasterError) {
        try await administer { (state, now) throws(MasterError) in
            try state.deleteGroupResourceControl(group: group, by: user, now: now)
        } result: { _, _ in
            ()
        }
    }

    /// What the consumers of `group` are told about flow control.
    func flowControl(group: String) -> ConsumerFlowControl { state.flowControl(group: group) }

    /// The default rules brokers enforce, when enabled (broker heartbeat replies).
    func brokerFlowControl() -> FlowControlSetting? {
        state.clusterSettings.flowControl.flatMap { $0.enabled ? $0 : nil }
    }
}
