public import TubeMQMasterState

/// Topic administration (`admin_*_topic_deploy_info`, `admin_*_topic_control_info`), for the
/// webapi: where topics are deployed, with which storage and flush settings
/// (``TubeMQMasterState/TopicSettingsPatch``: partitions, stores, accept flags, unflush thresholds
/// and intervals, retention, memory cache), and their maximum message size.
///
/// Every call is applied at once, persisted before it returns, and answered with the topic as it
/// was right after the change. Brokers carrying the topic get a new configuration version and take
/// the change with their next heartbeat.
extension Master {
    /// Deploys `topic` on a broker (`admin_add_topic_deploy_info`), creating the topic if needed;
    /// the settings are the broker's defaults overlaid by `settings`.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 400 (bad topic name), 401 (no such broker), 402
    ///   (already deployed there), 407 (bad setting), 501, 510.
    @discardableResult
    public func addTopicDeployment(
        topic: String,
        brokerID: Int32,
        settings: TopicSettingsPatch = TopicSettingsPatch(),
        by user: String
    ) async throws(MasterError) -> Topic {
        try await administer(topic: topic) { (state, now) throws(MasterError) in
            try state.addTopicDeployment(topic: topic, brokerID: brokerID, settings: settings, by: user, now: now)
        }
    }

    /// Changes a deployment's settings (`admin_update_topic_deploy_info`); partitions and stores can
    /// only grow.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 401 (no such deployment), 406 (not in service),
    ///   407 (bad value), 501, 510.
    @discardableResult
    public func updateTopicDeployment(
        topic: String,
        brokerID: Int32,
        settings: TopicSettingsPatch,
        by user: String
    ) async throws(MasterError) -> Topic {
        try await administer(topic: topic) { (state, now) throws(MasterError) in
            try state.updateTopicDeployment(topic: topic, brokerID: brokerID, settings: settings, by: user, now: now)
        }
    }

    /// Soft-deletes a deployment (`admin_delete_topic_deploy_info`): out of service, restorable.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 401 (no such deployment), 406 (not in service),
    ///   501, 510.
    @discardableResult
    public func deleteTopicDeployment(
        topic: String,
        brokerID: Int32,
        by user: String
    ) async throws(MasterError)
        -> Topic
    {
        try await administer(topic: topic) { (state, now) throws(MasterError) in
            try state.deleteTopicDeployment(topic: topic, brokerID: brokerID, by: user, now: now)
        }
    }

    /// Restores a soft-deleted deployment (`admin_redo_deleted_topic_deploy_info`).
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 401 (no such deployment), 406 (not soft-deleted),
    ///   501, 510.
    @discardableResult
    public func restoreTopicDeployment(
        topic: String,
        brokerID: Int32,
        by user: String
    ) async throws(MasterError)
        -> Topic
    {
        try await administer(topic: topic) { (state, now) throws(MasterError) in
            try state.restoreTopicDeployment(topic: topic, brokerID: brokerID, by: user, now: now)
        }
    }

    /// Removes a soft-deleted deployment (`admin_remove_topic_deploy_info`): the broker is told to
    /// drop the topic, and the record goes once the broker reports it gone.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 401 (no such deployment), 406 (not soft-deleted),
    ///   501, 510.
    @discardableResult
    public func removeTopicDeployment(
        topic: String,
        brokerID: Int32,
        by user: String
    ) async throws(MasterError)
        -> Topic
    {
        try await administer(topic: topic) { (state, now) throws(MasterError) in
            try state.removeTopicDeployment(topic: topic, brokerID: brokerID, by: user, now: now)
        }
    }

    /// Creates or changes a topic's control record (`admin_add/update_topic_control_info`); `nil`
    /// keeps a value (or takes the default on creation).
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 400 (bad topic name), 407 (size outside 1…20 MiB),
    ///   501, 510.
    @discardableResult
    public func setTopicControl(
        topic: String,
        maxMsgSizeInMB: Int32? = nil,
        enableAuthControl: Bool? = nil,
        by user: String
    ) async throws(MasterError) -> Topic {
        try await administer(topic: topic) { (state, now) throws(MasterError) in
            try state.setTopicControl(
                topic: topic,
                maxMsgSizeInMB: maxMsgSizeInMB,
                enableAuthControl: enableAuthControl,
                by: user,
                now: now
            )
        }
    }

    /// Deletes a topic's control record (`admin_delete_topic_control_info`); it must have no
    /// deployments left.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 401 (no such topic), 404 (still deployed), 501, 510.
    public func deleteTopicControl(topic: String, by user: String) async throws(MasterError) {
        try await administer { (state, now) throws(MasterError) in
            try state.deleteTopicControl(topic: topic, by: user, now: now)
        } result: { _, _ in
            ()
        }
    }

    /// Every topic with its deployments, sorted by name (`admin_query_topic_info`).
    public func topics() -> [Topic] { state.topics }

    /// One topic, or `nil`.
    public func topic(named name: String) -> Topic? { state.topic(named: name) }

    /// What producers of `topic` are told (`topicInfo`), or `nil` when no serving broker takes it.
    public func publishInfo(topic: String) -> TopicPublishInfo? { state.publishInfo(topic: topic) }

    static func topic(_ name: String, in state: MasterState) throws(MasterError) -> Topic {
        guard let topic = state.topic(named: name) else {
            throw MasterError(code: .recordNotFound, message: "Topic \(name) does not exist!")
        }
        return topic
    }

    /// Applies `change` to the state and answers `topic`'s record after it.
    private func administer(
        topic: String,
        _ change: (inout MasterState, Int64) throws(MasterError) -> [MasterDirective]
    ) async throws(MasterError) -> Topic {
        try await administer(change) { (state, _) throws(MasterError) in try Self.topic(topic, in: state) }
    }
}
