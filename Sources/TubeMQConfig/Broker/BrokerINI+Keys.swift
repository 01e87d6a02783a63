extension BrokerINI: IniConfiguration {
    /// The `[broker]` key names: every key of config.md §2.1, and ours: `io`, `acknowledgement`,
    /// `retentionBytes`, the web admin token keys and the connection limits.
    static let brokerKeyNames =
        [
            "brokerId", "hostName", "defEthName", "port", "webPort", "masterAddressList", "primaryPath",
            "maxSegmentSize", "maxIndexSegmentSize", "transferSize", "indexTransCount", "loadMessageStoresInParallel",
            "consumerRegTimeoutMs", "heartbeatPeriodMs", "rpcReadTimeoutMs", "socketSendBuffer", "socketRecvBuffer",
            "nettyWriteBufferHighWaterMark", "nettyWriteBufferLowWaterMark", "tcpWriteServiceThread",
            "tcpReadServiceThread", "tlsWriteServiceThread", "tlsReadServiceThread", "logClearupDurationMs",
            "logFlushDiskDurMs", "logFlushMemDurMs", "enableMemStore", "defaultDeduceReadSize", "updateConsumerOffsets",
            "enableWriteOffset2Zk", "offsetStgFilePath", "offsetStgCacheFlushMs", "offsetStgFileSyncMs",
            "offsetStgSyncDurWarnMs", "grpOffsetStgExpMs", "groupOffsetScanDurMs", "allowedReadIOExcptCnt",
            "allowedWriteIOExcptCnt", "ioExcptStatsDurationMs", "rowLockWaitDurMs", "visitTokenCheckInValidTimeMs",
            "authValidTimeStampPeriodMs", "visitMasterAuth", "visitName", "visitPassword", "io",
            "acknowledgement", "retentionBytes",
            "webAdminToken", "webAdminTokenCheck",
        ] + ConnectionLimitsConfig.keyNames

    /// Topic defaults that older broker.ini files carried in `[broker]` (config.md §4). They are master
    /// metadata now (set through the admin API); here they are recognised and reported as ignored.
    static let legacyTopicKeyNames = [
        "numPartitions", "acceptPublish", "acceptSubscribe", "unflushThreshold", "unflushInterval", "deleteWhen",
        "deletePolicy", "numTopicStores", "unflushDataHold", "memCacheMsgSizeInMB", "memCacheMsgCntInK",
        "memCacheFlushIntvl", "maxMsgSizeInMB", "qryPriorityId",
    ]

    /// Every broker.ini key: `[broker]` (with the legacy topic keys), `[zookeeper]`, `[tlsSetting]`,
    /// `[audit]` and `[prometheus]`.
    public static let knownKeys: Set<ConfigKey> = Set<ConfigKey>.keys(brokerKeyNames + legacyTopicKeyNames, in: section)
        .union(Set<ConfigKey>.keys(ZooKeeperConfig.brokerKeyNames, in: "zookeeper"))
        .union(TLSConfig.keys)
        .union(TLSConfig.webKeys)
        .union(TLSConfig.masterLinkKeys)
        .union(PrometheusConfig.servedKeys)
        .union(AuditConfig.keys)
        .union(PrometheusConfig.keys)

    /// The keys our broker acts on: identity, listeners (`[tlsSetting]` too), master list, the storage layout
    /// and flush timings, fetch limits, heartbeats, the I/O backend and the ZooKeeper offset mirror. The
    /// executable may pass a wider set to
    /// ``startupWarnings(supportedKeys:)`` as features land.
    public static let supportedKeys: Set<ConfigKey> = .keys(
        [
            "brokerId", "hostName", "port", "webPort", "masterAddressList", "primaryPath", "maxSegmentSize",
            "maxIndexSegmentSize", "transferSize", "indexTransCount", "consumerRegTimeoutMs", "heartbeatPeriodMs",
            "rpcReadTimeoutMs", "logClearupDurationMs", "logFlushDiskDurMs", "logFlushMemDurMs", "io",
            "acknowledgement", "retentionBytes",
            "visitTokenCheckInValidTimeMs", "visitMasterAuth", "visitName", "visitPassword", "webAdminToken",
            "webAdminTokenCheck", "enableWriteOffset2Zk",
        ] + ConnectionLimitsConfig.keyNames,
        in: section
    )
    .union(
        Set<ConfigKey>.keys(
            [
                "zkServerAddr", "zkNodeRoot", "zkSessionTimeoutMs", "zkSyncTimeMs", "zkCommitPeriodMs",
                "zkCommitFailRetries",
            ],
            in: "zookeeper"
        )
    )
    .union(TLSConfig.keys)
    .union(TLSConfig.webKeys)
    .union(TLSConfig.masterLinkKeys)
    .union(PrometheusConfig.servedKeys)

    /// The master's sections, read by ``MasterINI`` from a merged file.
    public static let otherComponentSections: Set<String> = [
        "master", "meta_zookeeper", "meta_bdb", "replication", "bdbStore",
    ]
}
