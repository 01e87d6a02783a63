public import TubeMQMasterState

/// Consumer groups, producers and cluster settings, for the webapi.
extension Master {
    /// Every consumer group with members, sorted by name (`admin_query_consume_group_detail` and
    /// friends): topics, filters, bound session, members with what they hold and their events.
    public func groups() -> [ConsumerGroup] { state.groups }

    /// One consumer group, or `nil` when it has no members.
    public func group(named name: String) -> ConsumerGroup? { state.group(named: name) }

    /// One consumer and the name of its group, or `nil`.
    public func consumer(clientID: String) -> (group: String, member: ConsumerMember)? {
        state.consumer(clientID: clientID)
    }

    /// The names of the groups subscribing `topic`, sorted (`admin_query_group_info_by_topic`).
    public func groups(subscribing topic: String) -> [String] { state.groups(subscribing: topic) }

    /// Every registered producer, sorted by client id.
    public func producers() -> [ProducerRecord] { state.producers }

    /// One producer, or `nil`.
    public func producer(clientID: String) -> ProducerRecord? { state.producer(clientID: clientID) }

    /// Every group's durable settings (consume control), sorted by name.
    public func groupSettings() -> [GroupSettings] { state.groupSettings }

    /// One group's durable settings, or `nil` when nothing is set for it.
    public func groupSettings(named name: String) -> GroupSettings? { state.groupSettings(named: name) }

    /// Allows or forbids `group` to consume `topic` (group consume control); forbidden groups get
    /// 450 when they register.
    ///
    /// - Returns: the group's settings after the change, `nil` when nothing is forbidden any more.
    /// - Throws: ``TubeMQMasterState/MasterError`` 501 (store failed; applied), 510 (stopped).
    @discardableResult
    public func setGroupConsume(
        group: String,
        topic: String,
        enabled: Bool,
        reason: String = "",
        by user: String
    ) async throws(MasterError) -> GroupSettings? {
        try await administer { (state, now) throws(MasterError) in
            state.setGroupConsume(group: group, topic: topic, enabled: enabled, reason: reason, by: user, now: now)
        } result: { state, _ in
            state.groupSettings(named: group)
        }
    }

    /// Restricts `group` to filtered consumption of `topic` with the `allowed` filter items (consume
    /// control's `filterEnable`), or lifts the restriction with `nil`; restricted groups' consumers
    /// get 455 when they register without allowed filters.
    ///
    /// - Returns: the group's settings after the change, `nil` when nothing is set any more.
    /// - Throws: ``TubeMQMasterState/MasterError`` 501 (store failed; applied), 510 (stopped).
    @discardableResult
    public func setGroupConsumeFilter(
        group: String,
        topic: String,
        allowed: Set<String>?,
        by user: String
    ) async throws(MasterError) -> GroupSettings? {
        try await administer { (state, now) throws(MasterError) in
            state.setGroupConsumeFilter(group: group, topic: topic, allowed: allowed, by: user, now: now)
        } result: { state, _ in
            state.groupSettings(named: group)
        }
    }

    /// Makes members of a group give up their partitions and rejoin after `rejoinWaitMs`
    /// (`admin_rebalance_group_allocate`); the next balance round acts on it.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 401 (group offline, consumer not a member),
    ///   406 (bound or client-balanced group), 510 (stopped).
    public func requestRejoin(group: String, consumers: [String], rejoinWaitMs: Int64) throws(MasterError) {
        try checkRunning()
        try state.requestRejoin(group: group, consumers: consumers, rejoinWaitMs: rejoinWaitMs, now: clock.now())
        logger.info(
            "consumers asked to rejoin their group",
            metadata: [
                "tubemq.group": "\(group)", "tubemq.consumers": "\(consumers.joined(separator: ","))",
                "tubemq.rejoinWaitMs": "\(rejoinWaitMs)",
            ]
        )
    }

    /// The cluster defaults (`admin_query_cluster_default_setting`).
    public func clusterSettings() -> ClusterSettings { state.clusterSettings }

    /// Changes the cluster defaults (`admin_update_cluster_default_setting`); existing brokers and
    /// topics keep their values.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 407 (value out of range), 501, 510.
    @discardableResult
    public func updateClusterSettings(
        _ patch: ClusterSettingsPatch,
        by user: String
    ) async throws(MasterError)
        -> ClusterSettings
    {
        try await administer { (state, now) throws(MasterError) in
            try state.updateClusterSettings(patch, by: user, now: now)
        } result: { state, _ in
            state.clusterSettings
        }
    }

    /// The timing knobs in force.
    public func configuration() -> MasterTimings { state.configuration }

    /// The durable state as the metadata store receives it.
    public func snapshot() -> MasterSnapshot { state.snapshot() }
}
