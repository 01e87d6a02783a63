extension MasterINI: IniConfiguration {
    /// The `[master]` key names (every key of config.md §1.1; `metaDataPath`, `authUserFile` and the
    /// connection limits are ours).
    static let masterKeyNames =
        [
            "hostName", "port", "webPort", "webResourcePath", "confModAuthToken", "consumerBalancePeriodMs",
            "firstBalanceDelayAfterStartMs", "consumerHeartbeatTimeoutMs", "producerHeartbeatTimeoutMs",
            "brokerHeartbeatTimeoutMs", "rpcReadTimeoutMs", "socketSendBuffer", "socketRecvBuffer",
            "nettyWriteBufferHighWaterMark", "nettyWriteBufferLowWaterMark", "onlineOnlyReadToRWPeriodMs",
            "offlineOnlyReadToRWPeriodMs", "stepChgWaitPeriodMs", "maxGroupBrokerConsumeRate",
            "maxGroupRebalanceWaitPeriod", "maxAutoForbiddenCnt", "startOffsetResetCheck", "rowLockWaitDurMs",
            "visitTokenValidPeriodMs", "authValidTimeStampPeriodMs", "startVisitTokenCheck", "startProduceAuthenticate",
            "startProduceAuthorize", "startConsumeAuthenticate", "startConsumeAuthorize", "needBrokerVisitAuth",
            "visitName", "visitPassword", "useWebProxy", "rebalanceParallel", "maxMetaForceUpdatePeriodMs",
            "metaDataPath", "authUserFile",
        ] + ConnectionLimitsConfig.keyNames

    /// Every master.ini key: `[master]`, the four meta-store sections, `[tlsSetting]` and `[prometheus]`.
    public static let knownKeys: Set<ConfigKey> = Set<ConfigKey>.keys(masterKeyNames, in: section)
        .union(MetaStoreConfig.keys)
        .union(TLSConfig.keys)
        .union(TLSConfig.webKeys)
        .union(PrometheusConfig.keys)

    /// The keys our master acts on: its listeners (`[tlsSetting]` too), the admin token, the state machine's timings, the RPC
    /// read timeout and the metadata directory. The executable may pass a wider set to
    /// ``startupWarnings(supportedKeys:)`` as features land.
    public static let supportedKeys: Set<ConfigKey> = .keys(
        [
            "hostName", "port", "webPort", "confModAuthToken", "consumerBalancePeriodMs",
            "firstBalanceDelayAfterStartMs", "consumerHeartbeatTimeoutMs", "producerHeartbeatTimeoutMs",
            "brokerHeartbeatTimeoutMs", "rpcReadTimeoutMs", "metaDataPath",
            "visitTokenValidPeriodMs", "authValidTimeStampPeriodMs", "startVisitTokenCheck", "startProduceAuthenticate",
            "startProduceAuthorize", "startConsumeAuthenticate", "startConsumeAuthorize", "needBrokerVisitAuth",
            "visitName", "visitPassword", "authUserFile",
        ] + ConnectionLimitsConfig.keyNames,
        in: section
    ).union(TLSConfig.keys).union(TLSConfig.webKeys).union(PrometheusConfig.servedKeys)

    /// The `[meta_zookeeper]` keys the HA master acts on (the ZooKeeper meta store and election).
    public static let zooKeeperMetaStoreKeys: Set<ConfigKey> = .keys(
        ["zkServerAddr", "zkNodeRoot", "zkSessionTimeoutMs", "zkConnectionTimeoutMs", "zkAuthDigest"],
        in: "meta_zookeeper"
    )

    /// The broker's sections, read by ``BrokerINI`` from a merged file. `[zookeeper]` is among them:
    /// on the master it is a legacy section that Java does not read either.
    public static let otherComponentSections: Set<String> = ["broker", "audit", "zookeeper"]
}
