extension MasterState {
    /// The internal topic brokers carry besides the configured ones; accepted as a topic name.
    public static let offsetHistoryTopic = "__offset_history__"

    /// Deploys a topic on a broker (`admin_add_topic_deploy_info`), creating the topic's control
    /// record if needed. The settings are the broker's defaults overlaid by `settings`.
    /// - Throws: ``MasterError`` 400 for a bad topic name, 401 when the broker does not exist, 402
    ///   when the topic is already deployed there (in any status), 407 for a bad setting.
    public mutating func addTopicDeployment(
        topic name: String,
        brokerID: Int32,
        settings: TopicSettingsPatch = TopicSettingsPatch(),
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        try Self.validateTopicName(name)
        let broker = try existingBroker(brokerID)
        var topic =
            topicsByName[name]
            ?? Topic(
                name: name,
                maxMsgSizeInMB: clusterSettings.maxMsgSizeInMB,
                stamp: RecordStamp(createdBy: user, at: now)
            )
        if let existing = topic.deployment(on: brokerID) {
            let hint: String
            switch existing.status {
            case .normal: hint = ""
            case .softRemoved: hint = ", being removed: deploy it again once broker \(brokerID) has reported it gone"
            default: hint = ", resume or remove it first"
            }
            throw MasterError(
                code: .recordExists,
                message: "Topic \(name) is already deployed on broker \(brokerID)\(hint)!"
            )
        }
        let deployment = TopicDeployment(
            topic: name,
            brokerID: brokerID,
            settings: try broker.defaults.applying(settings),
            stamp: RecordStamp(createdBy: user, at: now)
        )
        topic.upsert(deployment)
        return storeTopic(topic, touching: [brokerID], by: user, now: now)
    }

    /// Changes a deployment's settings (`admin_update_topic_deploy_info`).
    /// - Throws: ``MasterError`` 401 when there is no such deployment, 406 when it is not in
    ///   service, 407 for a bad setting or fewer partitions or stores than before, 403 when it
    ///   would change nothing.
    public mutating func updateTopicDeployment(
        topic name: String,
        brokerID: Int32,
        settings: TopicSettingsPatch,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        var (topic, deployment) = try existingDeployment(name, brokerID)
        guard deployment.status == .normal else {
            throw MasterError(code: .illegalStatus, message: "Topic \(name) on broker \(brokerID) is not in service!")
        }
        let updated = try deployment.settings.applying(settings)
        guard updated != deployment.settings else {
            // As TubeMQ: an update that would change nothing (no value given, or every value as it
            // is) is refused with 403, so a caller learns its change did not apply.
            throw MasterError(
                code: .forbidden,
                message: "Data not changed for brokerId=\(brokerID), topicName=\(name)!"
            )
        }
        guard updated.numPartitions >= deployment.settings.numPartitions,
            updated.numTopicStores >= deployment.settings.numTopicStores
        else {
            throw MasterError(
                code: .illegalValue,
                message: "numPartitions and numTopicStores of \(name) can only grow!"
            )
        }
        deployment.settings = updated
        deployment.stamp.touch(by: user, at: now)
        topic.upsert(deployment)
        return storeTopic(topic, touching: [brokerID], by: user, now: now)
    }

    /// Soft-deletes a deployment (`admin_delete_topic_deploy_info`): out of service, restorable.
    /// - Throws: ``MasterError`` 401 when there is no such deployment, 406 unless it is in service
    ///   with `acceptPublish` and `acceptSubscribe` both false.
    public mutating func deleteTopicDeployment(
        topic name: String,
        brokerID: Int32,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        // As TubeMQ: stop publishing and subscribing first, so no producer is still being acknowledged
        // by a deployment clients no longer see (its messages would be removed with it).
        let (_, deployment) = try existingDeployment(name, brokerID)
        if deployment.status == .normal, deployment.settings.acceptPublish || deployment.settings.acceptSubscribe {
            throw MasterError(
                code: .illegalStatus,
                message: "The topic \(name)'s acceptPublish and acceptSubscribe status must be false in broker="
                    + "\(brokerID) before topic deleted!"
            )
        }
        return try changeStatus(name, brokerID, from: .normal, to: .softDeleted, by: user, now: now)
    }

    /// Restores a soft-deleted deployment (`admin_redo_deleted_topic_deploy_info`); one in service is
    /// left as it is.
    /// - Throws: ``MasterError`` 401 when there is no such deployment, 406 when it is removed.
    public mutating func restoreTopicDeployment(
        topic name: String,
        brokerID: Int32,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        try changeStatus(name, brokerID, from: .softDeleted, to: .normal, by: user, now: now)
    }

    /// Removes a soft-deleted deployment (`admin_remove_topic_deploy_info`): the broker is told to
    /// drop the topic, and the record is purged once its heartbeat reports it removed. Removing again
    /// does nothing.
    /// - Throws: ``MasterError`` 401 when there is no such deployment, 406 when it is in service.
    public mutating func removeTopicDeployment(
        topic name: String,
        brokerID: Int32,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        try changeStatus(name, brokerID, from: .softDeleted, to: .softRemoved, by: user, now: now)
    }

    /// Creates or updates a topic's control record (`admin_add/update_topic_control_info`); a `nil`
    /// value keeps the current one (or the default on creation).
    /// - Throws: ``MasterError`` 400 for a bad topic name, 407 for a size outside 1…20 MiB.
    public mutating func setTopicControl(
        topic name: String,
        maxMsgSizeInMB: Int32? = nil,
        enableAuthControl: Bool? = nil,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        try Self.validateTopicName(name)
        var topic =
            topicsByName[name]
            ?? Topic(
                name: name,
                maxMsgSizeInMB: clusterSettings.maxMsgSizeInMB,
                stamp: RecordStamp(createdBy: user, at: now)
            )
        if let size = maxMsgSizeInMB { topic.maxMsgSizeInMB = try Validate.maxMsgSize(size) }
        topic.enableAuthControl = enableAuthControl ?? topic.enableAuthControl
        return storeTopic(topic, touching: topic.deployments.map(\.brokerID), by: user, now: now)
    }

    /// Deletes a topic's control record (`admin_delete_topic_control_info`).
    /// - Throws: ``MasterError`` 401 when the topic does not exist, 404 while it has deployments.
    public mutating func deleteTopicControl(
        topic name: String,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        guard let topic = topicsByName[name] else {
            throw MasterError(code: .recordNotFound, message: "Topic \(name) does not exist!")
        }
        guard topic.deployments.isEmpty else {
            throw MasterError(code: .relatedConfigExists, message: "Topic \(name) is still deployed, remove it first!")
        }
        topicsByName[name] = nil
        return [.deleteTopic(name: name)]
    }

    // MARK: internals

    static func validateTopicName(_ name: String) throws(MasterError) {
        guard name != offsetHistoryTopic else { return }
        let scalars = Array(name.unicodeScalars)
        let isWord: (Unicode.Scalar) -> Bool = {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
        }
        guard scalars.count >= 2, scalars.count <= 64, let first = scalars.first,
            first.isASCII, first.properties.isAlphabetic, scalars.allSatisfy(isWord)
        else {
            throw .badRequest("Illegal topicName \(name): a letter, then letters, digits or _, 2 to 64 chars!")
        }
    }

    private func existingDeployment(_ name: String, _ brokerID: Int32) throws(MasterError) -> (Topic, TopicDeployment) {
        guard let topic = topicsByName[name], let deployment = topic.deployment(on: brokerID) else {
            throw MasterError(code: .recordNotFound, message: "Topic \(name) is not deployed on broker \(brokerID)!")
        }
        return (topic, deployment)
    }

    private mutating func changeStatus(
        _ name: String,
        _ brokerID: Int32,
        from: TopicStatus,
        to: TopicStatus,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        var (topic, deployment) = try existingDeployment(name, brokerID)
        // Asking again for the status it has is a no-op, as in TubeMQ (a retried script call succeeds).
        if deployment.status == to { return [] }
        guard deployment.status == from else {
            throw MasterError(
                code: .illegalStatus,
                message: "Topic \(name) on broker \(brokerID) is \(deployment.status), not \(from)!"
            )
        }
        deployment.status = to
        deployment.stamp.touch(by: user, at: now)
        topic.upsert(deployment)
        return storeTopic(topic, touching: [brokerID], by: user, now: now)
    }

    /// Stores a topic and bumps the configuration version of the brokers it touches.
    private mutating func storeTopic(
        _ changed: Topic,
        touching brokers: [Int32],
        by user: String,
        now: Int64
    ) -> [MasterDirective] {
        var topic = changed
        topic.stamp.touch(by: user, at: now)
        topicsByName[topic.name] = topic
        var directives: [MasterDirective] = [.persistTopic(topic)]
        for id in Set(brokers).sorted() {
            guard var config = brokerConfigs[id] else { continue }
            config.configVersion = config.configVersion.nextVersion(now: now)
            brokerConfigs[id] = config
            directives.append(.persistBroker(config))
        }
        return directives
    }
}
