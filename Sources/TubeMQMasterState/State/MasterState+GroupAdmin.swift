extension MasterState {
    /// Makes members of a group give up their partitions and rejoin `rejoinWaitMs` later
    /// (`admin_rebalance_group_allocate`): the next balance round sends them `ONLY_DISCONNECT` and
    /// gives their partitions to the other members, and the first round from `now + rejoinWaitMs` on
    /// balances them in again. Asking again for a member replaces its wait.
    ///
    /// - Throws: ``MasterError`` 401 when the group has no consumer online or one of `consumers` is
    ///   not a member (nothing is changed then), 406 for a bound-consume group, whose members choose
    ///   their partitions.
    public mutating func requestRejoin(
        group name: String,
        consumers: [String],
        rejoinWaitMs: Int64,
        now: Int64
    ) throws(MasterError) {
        guard var group = groupsByName[name] else {
            let balancedByClients = clientBalanceGroups.contains { $0.name == name }
            throw MasterError(
                code: balancedByClients ? .illegalStatus : .recordNotFound,
                message: balancedByClients
                    ? "The group \(name) is balanced by its clients, not by the master!"
                    : "The group \(name) has no consumer online!"
            )
        }
        guard group.bound == nil else {
            throw MasterError(
                code: .illegalStatus,
                message: "The group \(name) is a bound consume group: its members choose their partitions!"
            )
        }
        let unknown = consumers.filter { group.members[$0] == nil }
        guard unknown.isEmpty else {
            throw MasterError(
                code: .recordNotFound,
                message: "Not members of group \(name): \(unknown.joined(separator: ","))"
            )
        }
        let wait = max(rejoinWaitMs, 0)
        for id in consumers {
            group.rejoins[id] = Rejoin(waitMs: wait, notBefore: now + wait, released: false)
        }
        groupsByName[name] = group
    }

    /// Allows or forbids a group to consume a topic (group consume control; the old "blacklist").
    ///
    /// A forbidden group's consumers get 450 when they register for the topic; members already
    /// registered stay, but the next balance round takes the topic's partitions from them
    /// (`ONLY_DISCONNECT`), so consumption stops within a balance period and a heartbeat. Allowing
    /// the topic again gives them back in the round after.
    /// - Returns: a directive to persist the group's settings, or to delete them when nothing is
    ///   forbidden any more.
    public mutating func setGroupConsume(
        group name: String,
        topic: String,
        enabled: Bool,
        reason: String = "",
        by user: String,
        now: Int64
    ) -> [MasterDirective] {
        changeGroupSettings(name, by: user, now: now) { settings in
            settings.consumeDisabled[topic] = enabled ? nil : (reason.isEmpty ? "disabled by \(user)" : reason)
        }
    }

    /// Restricts a group to filtered consumption of a topic (consume control's `filterEnable` and
    /// `filterConds`), or lifts the restriction with `nil`.
    ///
    /// A restricted group's consumers must register for the topic with filter items, every one of
    /// them in `allowed`, else they get 455 (`CONSUME_CONTENT_FORBIDDEN`); with `allowed` empty no
    /// consumer of the group may consume the topic. Members already registered keep what they have
    /// until they register again.
    /// - Returns: a directive to persist the group's settings, or to delete them when nothing is set.
    public mutating func setGroupConsumeFilter(
        group name: String,
        topic: String,
        allowed: Set<String>?,
        by user: String,
        now: Int64
    ) -> [MasterDirective] {
        guard groupSettingsByName[name]?.consumeFilters[topic] != allowed else { return [] }
        return changeGroupSettings(name, by: user, now: now) { $0.consumeFilters[topic] = allowed }
    }

    /// Applies `change` to a group's settings (made if missing), stamps it, and answers the directive
    /// that persists them, or deletes them when nothing is left set.
    private mutating func changeGroupSettings(
        _ name: String,
        by user: String,
        now: Int64,
        _ change: (inout GroupSettings) -> Void
    ) -> [MasterDirective] {
        var settings =
            groupSettingsByName[name] ?? GroupSettings(name: name, stamp: RecordStamp(createdBy: user, at: now))
        change(&settings)
        settings.stamp.touch(by: user, at: now)
        if settings.isEmpty {
            guard groupSettingsByName.removeValue(forKey: name) != nil else { return [] }
            return [.deleteGroup(name: name)]
        }
        groupSettingsByName[name] = settings
        return [.persistGroup(settings)]
    }

    /// Changes the cluster default settings (`admin_update_cluster_default_setting`). Existing
    /// brokers and topics keep their values.
    /// - Throws: ``MasterError`` 407 for a value out of range, or a broker or TLS port equal to the
    ///   web port.
    public mutating func updateClusterSettings(
        _ patch: ClusterSettingsPatch,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        var settings = clusterSettings
        settings.brokerPort = try Validate.port("brokerPort", patch.brokerPort ?? settings.brokerPort)
        settings.brokerTLSPort = try Validate.port("brokerTLSPort", patch.brokerTLSPort ?? settings.brokerTLSPort)
        settings.brokerWebPort = try Validate.port("brokerWebPort", patch.brokerWebPort ?? settings.brokerWebPort)
        // As for one broker: defaults that clash would make every later broker add without ports fail.
        guard settings.brokerPort != settings.brokerWebPort, settings.brokerTLSPort != settings.brokerWebPort else {
            throw MasterError(
                code: .illegalValue,
                message: "brokerPort and brokerTLSPort must differ from brokerWebPort!"
            )
        }
        settings.maxMsgSizeInMB = try Validate.maxMsgSize(patch.maxMsgSizeInMB ?? settings.maxMsgSizeInMB)
        settings.qryPriorityID = try Validate.qryPriorityID(patch.qryPriorityID ?? settings.qryPriorityID)
        settings.topicDefaults = try settings.topicDefaults.applying(patch.topicDefaults)
        if settings.stamp == nil { settings.stamp = RecordStamp(createdBy: user, at: now) }
        settings.stamp?.touch(by: user, at: now)
        clusterSettings = settings
        return [.persistClusterSettings(settings)]
    }
}
