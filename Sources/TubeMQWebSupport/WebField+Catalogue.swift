/// The parameters the webapis read, with the names and aliases of admin-api.md §4.1.
extension WebField {
    /// `topicName` / `topic`.
    package static let topicName = WebField("topicName", "topic", maxLength: 64, rule: .topicName)
    /// `groupName` / `group`.
    package static let groupName = WebField("groupName", "group", maxLength: 1024, rule: .groupName)
    /// `consumeGroup` / `group` (deprecated spelling of groupName).
    package static let consumeGroup = WebField("consumeGroup", "group", maxLength: 1024, rule: .groupName)
    /// `partitionId` / `pid`.
    package static let partitionID = WebField("partitionId", "pid")
    /// `createUser` / `cur`.
    package static let createUser = WebField("createUser", "cur", maxLength: 64, rule: .userName)
    /// `modifyUser` / `mur`.
    package static let modifyUser = WebField("modifyUser", "mur", maxLength: 64, rule: .userName)
    /// `createDate` / `cDate`.
    package static let createDate = WebField("createDate", "cDate")
    /// `modifyDate` / `mDate`.
    package static let modifyDate = WebField("modifyDate", "mDate")
    /// `dataVersionId` / `dataVerId`.
    package static let dataVersionID = WebField("dataVersionId", "dataVerId")
    /// `confModAuthToken` / `authToken`.
    package static let authToken = WebField("confModAuthToken", "authToken", maxLength: 128)
    /// `manualOffset` / `offset`.
    package static let manualOffset = WebField("manualOffset", "offset")
    /// `requireRealOffset` / `dko`.
    package static let requireRealOffset = WebField("requireRealOffset", "dko")
    /// `manualSet` / `manSet`.
    package static let manualSet = WebField("manualSet", "manSet")
    /// `offsetJsonInfo` / `offsetInfo`.
    package static let offsetJSONInfo = WebField("offsetJsonInfo", "offsetInfo")
    /// `withDivide` (the broker's booked-group query splits groups with and without consumers).
    package static let withDivide = WebField("withDivide", "withDivide")
    /// `onlyMemory` / `onlyMem`.
    package static let onlyMemory = WebField("onlyMemory", "onlyMem")
    /// `sourceGroupName` / `srcGroup`.
    package static let sourceGroupName = WebField("sourceGroupName", "srcGroup", maxLength: 1024, rule: .groupName)
    /// `targetGroupName` / `tgtGroup`.
    package static let targetGroupName = WebField("targetGroupName", "tgtGroup", maxLength: 1024, rule: .groupName)
    /// `recordTime` / `rt`.
    package static let recordTime = WebField("recordTime", "rt")
    /// `endTime` / `et`.
    package static let endTime = WebField("endTime", "et")
    /// `maxRetryCnt` / `mrc`.
    package static let maxRetryCount = WebField("maxRetryCnt", "mrc")
    /// `msgCount` / `cnt`.
    package static let msgCount = WebField("msgCount", "cnt")
    /// `needRefresh` / `nrf`.
    package static let needRefresh = WebField("needRefresh", "nrf")
    /// `statsType` / `st`.
    package static let statsType = WebField("statsType", "st", maxLength: 64)
    /// `backupPath` / `bPath`.
    package static let backupPath = WebField("backupPath", "bPath", maxLength: 1024)

    /// `brokerId` (no separate alias).
    package static let brokerID = WebField("brokerId", "brokerId")
    /// `brokerIp` for one address.
    package static let brokerIP = WebField("brokerIp", "brokerIp", maxLength: 32, rule: .ipv4)
    /// `brokerIp` / `bIp` for a list of addresses.
    package static let brokerIPList = WebField("brokerIp", "bIp", maxLength: 32, rule: .ipv4)
    /// `brokerPort`.
    package static let brokerPort = WebField("brokerPort", "brokerPort")
    /// `brokerTLSPort`.
    package static let brokerTLSPort = WebField("brokerTLSPort", "brokerTLSPort")
    /// `brokerWebPort` / `bWebPort`.
    package static let brokerWebPort = WebField("brokerWebPort", "bWebPort")
    /// `regionId`.
    package static let regionID = WebField("regionId", "regionId")
    /// `groupId` / `gId`.
    package static let groupID = WebField("groupId", "gId")
    /// `manageStatus` / `mSts`.
    package static let manageStatus = WebField("manageStatus", "mSts")
    /// `withTopic` / `wTopic`.
    package static let withTopic = WebField("withTopic", "wTopic")
    /// `isInclude`.
    package static let isInclude = WebField("isInclude", "isInclude")
    /// `isReservedData` / `isRsvDt`.
    package static let isReservedData = WebField("isReservedData", "isRsvDt")
    /// `withIp` / `ip`.
    package static let withIP = WebField("withIp", "ip")
    /// `withDetail` / `wDtl`.
    package static let withDetail = WebField("withDetail", "wDtl")
    /// `topicStatusId` / `tStsId`.
    package static let topicStatusID = WebField("topicStatusId", "tStsId")
    /// `topicNameId` / `topicId`.
    package static let topicNameID = WebField("topicNameId", "topicId")
    /// `withGroupAuthInfo` / `wGAI`.
    package static let withGroupAuthInfo = WebField("withGroupAuthInfo", "wGAI")
    /// `enableAuthControl` / `acEn`.
    package static let enableAuthControl = WebField("enableAuthControl", "acEn")
    /// `maxMsgSizeInMB`.
    package static let maxMsgSizeInMB = WebField("maxMsgSizeInMB", "maxMsgSizeInMB")
    /// `qryPriorityId` / `qryPriId`.
    package static let qryPriorityID = WebField("qryPriorityId", "qryPriId")

    // MARK: topic properties (§4.2)

    /// `numTopicStores` / `numStore`.
    package static let numTopicStores = WebField("numTopicStores", "numStore")
    /// `numPartitions` / `numPart`.
    package static let numPartitions = WebField("numPartitions", "numPart")
    /// `unflushThreshold` / `unfDskMsgCnt`.
    package static let unflushThreshold = WebField("unflushThreshold", "unfDskMsgCnt")
    /// `unflushInterval` / `unfDskInt`.
    package static let unflushInterval = WebField("unflushInterval", "unfDskInt")
    /// `unflushDataHold` / `unfDskDataSize`.
    package static let unflushDataHold = WebField("unflushDataHold", "unfDskDataSize")
    /// `memCacheMsgSizeInMB` / `cacheSizeInMB`.
    package static let memCacheMsgSizeInMB = WebField("memCacheMsgSizeInMB", "cacheSizeInMB")
    /// `memCacheMsgCntInK` / `unfMemMsgCnt`.
    package static let memCacheMsgCntInK = WebField("memCacheMsgCntInK", "unfMemMsgCnt")
    /// `memCacheFlushIntvl` / `unfMemInt`.
    package static let memCacheFlushIntvl = WebField("memCacheFlushIntvl", "unfMemInt")
    /// `acceptPublish` / `accPub`.
    package static let acceptPublish = WebField("acceptPublish", "accPub")
    /// `acceptSubscribe` / `accSub`.
    package static let acceptSubscribe = WebField("acceptSubscribe", "accSub")
    /// `ackPolicy` (our extension): `memory` or `disk`.
    package static let ackPolicy = WebField("ackPolicy", "ackPolicy")
    /// `retentionBytes` (our extension): the most bytes a topic keeps on a broker.
    package static let retentionBytes = WebField("retentionBytes", "retentionBytes")
    /// `deletePolicy` / `delPolicy`.
    package static let deletePolicy = WebField("deletePolicy", "delPolicy", maxLength: 1024)
}

/// The JSON-set parameters of the batch methods.
extension WebField {
    /// `brokerJsonSet` / `brokerSet`.
    package static let brokerJSONSet = WebField("brokerJsonSet", "brokerSet")
    /// `topicJsonSet` / `topicSet`.
    package static let topicJSONSet = WebField("topicJsonSet", "topicSet")
}

/// Group consume control parameters (admin-api.md §5.5).
extension WebField {
    /// `consumeEnable` / `csmEn`.
    package static let consumeEnable = WebField("consumeEnable", "csmEn")
    /// `disableCsmRsn` / `dsCsmRsn`.
    package static let disableReason = WebField("disableCsmRsn", "dsCsmRsn", maxLength: 1024)
    /// `filterEnable` / `fltEn`.
    package static let filterEnable = WebField("filterEnable", "fltEn")
    /// `filterConds` / `flts`.
    package static let filterConds = WebField("filterConds", "flts", maxLength: 256, rule: .filterItem)
    /// `consumerId` / `csmId`.
    package static let consumerID = WebField("consumerId", "csmId", rule: .consumerID)
    /// `reJoinWait` / `rjWait` (ms).
    package static let reJoinWait = WebField("reJoinWait", "rjWait")
    /// `relReason` / `rRsn`.
    package static let releaseReason = WebField("relReason", "rRsn", maxLength: 1024)
}
