import TubeMQCore
import TubeMQMasterState
import TubeMQWebSupport

/// Readers for the parameter groups the master's methods share.
extension WebParameters {
    /// The §4.2 topic properties as a patch (absent values stay `nil`), each checked against its
    /// minimum and maximum. The delete policy is checked by the master (code 407).
    ///
    /// `numPartitions` stops at ``maximumPartitionsPerStore``: a partition id is
    /// `storeIndex * 10000 + index`, so a store cannot hold more partitions without its ids running
    /// into the next store's. `numTopicStores` stops at ``maximumStoresPerBroker``.
    ///
    /// - Throws: ``TubeMQWebSupport/WebParameterError`` for a value that is not an integer or out of range.
    func topicProperties() throws(WebParameterError) -> TopicSettingsPatch {
        let positive: ClosedRange<Int64> = 1...Int64(Int32.max)
        let natural: ClosedRange<Int64> = 0...Int64(Int32.max)
        let layout: ClosedRange<Int64> = 1...Int64(Self.maximumPartitionsPerStore)
        var patch = TopicSettingsPatch(
            numPartitions: try int32(.numPartitions, range: layout),
            numTopicStores: try int32(.numTopicStores, range: 1...Int64(Self.maximumStoresPerBroker)),
            acceptPublish: try bool(.acceptPublish),
            acceptSubscribe: try bool(.acceptSubscribe),
            unflushThreshold: try int32(.unflushThreshold, range: natural),
            unflushInterval: try int32(.unflushInterval, range: positive),
            unflushDataHold: try int32(.unflushDataHold, range: natural),
            deletePolicy: try string(.deletePolicy),
            memCacheMsgSizeInMB: try int32(.memCacheMsgSizeInMB, range: 2...2048),
            memCacheMsgCntInK: try int32(.memCacheMsgCntInK, range: positive),
            memCacheFlushIntvl: try int32(.memCacheFlushIntvl, range: 4000...Int64(Int32.max))
        )
        patch.ackPolicy = try string(.ackPolicy)
        patch.retentionBytes = try int64(.retentionBytes, range: 0...Int64.max)
        return patch
    }

    /// The most partitions a store may have: one less than ``TubeMQCore/PartitionID/storeBase``.
    static let maximumPartitionsPerStore = Int(PartitionID.storeBase) - 1

    /// The most storage instances a topic may have on one broker (TubeMQ sets no bound). Each is a
    /// pair of files with its own memory blocks and flusher; 9,999 of them, which the layout would
    /// allow, kept a broker busy opening them until the master expired it, and every topic with it.
    static let maximumStoresPerBroker = 100

    /// The operator of an add call: `createUser` (required); `createDate` is checked when given.
    ///
    /// - Throws: ``TubeMQWebSupport/WebParameterError`` when createUser is absent or malformed.
    func creator() throws(WebParameterError) -> String {
        let user = try requiredString(.createUser)
        _ = try string(.modifyUser)
        _ = try date(.createDate)
        _ = try int64(.dataVersionID)
        return user
    }

    /// The operator of an update, delete or state change: `modifyUser` (required).
    ///
    /// - Throws: ``TubeMQWebSupport/WebParameterError`` when modifyUser is absent or malformed.
    func modifier() throws(WebParameterError) -> String {
        let user = try requiredString(.modifyUser)
        _ = try date(.modifyDate)
        _ = try int64(.dataVersionID)
        return user
    }

    /// `manageStatus` (`draft`, `online`, `only-read`, `only-write`, `offline`, any case).
    ///
    /// - Throws: ``TubeMQWebSupport/WebParameterError`` for another value.
    func manageStatus() throws(WebParameterError) -> BrokerManageStatus? {
        guard let text = value(.manageStatus) else { return nil }
        guard let status = BrokerManageStatus.allCases.first(where: { $0.description == text.lowercased() }) else {
            throw WebParameterError(
                "Parameter manageStatus value \(text) must be one of draft, online, only-read, only-write, offline!"
            )
        }
        return status
    }

    /// A port parameter (1…65535).
    ///
    /// - Throws: ``TubeMQWebSupport/WebParameterError`` for a value that is not a port.
    func port(_ field: WebField) throws(WebParameterError) -> Int? {
        try int32(field, range: 1...65_535).map(Int.init)
    }
}
