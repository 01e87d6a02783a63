extension MasterINI {
    /// The name of the required master section.
    static let section = "master"

    /// Loads and validates master.ini at `path`.
    ///
    /// - Throws: ``ConfigError`` if the file cannot be read or parsed, or for any error of ``init(ini:)``.
    public init(contentsOfFile path: String) throws(ConfigError) {
        try self.init(ini: IniFile(contentsOfFile: path))
    }

    /// Loads and validates a parsed master.ini (or a merged master + broker ini) with the Java loader's
    /// rules: blank values keep the default, an unparseable `port` falls back to 8715 with a warning, any
    /// other unparseable number is an error, and out-of-range timings are clamped with a warning.
    ///
    /// - Throws: ``ConfigError``: ``ConfigError/Code/missingSection`` / ``ConfigError/Code/emptySection``
    ///   for an absent or empty `[master]`; ``ConfigError/Code/missingKey`` or
    ///   ``ConfigError/Code/blankValue`` for `webResourcePath` and other required keys;
    ///   ``ConfigError/Code/unparseableValue``; and every error of ``validate()``.
    public init(ini: IniFile) throws(ConfigError) {
        self.init()
        fileOutline = FileOutline(ini)
        var reader = SectionReader(ini, section: Self.section)
        reader.ownKeys = Set(Self.masterKeyNames)
        guard reader.section != nil else {
            throw ConfigError(
                .missingSection,
                "master configure section is required!",
                section: Self.section,
                source: ini.source
            )
        }
        guard reader.hasKeys else {
            throw reader.error(.emptySection, "Empty configure item in master section!")
        }
        try loadListeners(&reader)
        try loadTiming(&reader)
        try loadBalancing(&reader)
        try loadSecurity(&reader)
        loadWarnings += reader.warnings
        metaStore = try MetaStoreConfig.load(
            ini,
            masterMetaDataPath: reader.string("metaDataPath"),
            warnings: &loadWarnings
        )
        tls = try TLSConfig.load(
            ini,
            defaultPort: TLSConfig.defaultMasterPort,
            readsWebKeys: true,
            warnings: &loadWarnings
        )
        prometheus = try PrometheusConfig.load(ini)
        try validate()
    }

    private mutating func loadListeners(_ reader: inout SectionReader) throws(ConfigError) {
        port = reader.int("port", default: port)
        hostName = reader.string("hostName", default: hostName)
        webPort = try reader.int("webPort") ?? webPort
        webResourcePath = try reader.requiredString("webResourcePath")
        if let token = reader.string("confModAuthToken") {
            guard token.utf16.count <= 128 else {
                throw reader.error(
                    .invalidValue,
                    "Invalid value: the length of confModAuthToken's value > 128",
                    "confModAuthToken"
                )
            }
            confModAuthToken = token
        }
        useWebProxy = try reader.bool("useWebProxy", default: useWebProxy)
        metaDataPath = reader.string("metaDataPath", default: metaDataPath)
        try connectionLimits.load(&reader)
    }

    private mutating func loadTiming(_ reader: inout SectionReader) throws(ConfigError) {
        consumerBalancePeriodMs = try reader.int("consumerBalancePeriodMs") ?? consumerBalancePeriodMs
        firstBalanceDelayAfterStartMs = try reader.int("firstBalanceDelayAfterStartMs") ?? firstBalanceDelayAfterStartMs
        consumerHeartbeatTimeoutMs = try reader.int("consumerHeartbeatTimeoutMs") ?? consumerHeartbeatTimeoutMs
        producerHeartbeatTimeoutMs = try reader.int("producerHeartbeatTimeoutMs") ?? producerHeartbeatTimeoutMs
        brokerHeartbeatTimeoutMs = try reader.int("brokerHeartbeatTimeoutMs") ?? brokerHeartbeatTimeoutMs
        socketSendBuffer = try reader.long("socketSendBuffer") ?? socketSendBuffer
        socketRecvBuffer = try reader.long("socketRecvBuffer") ?? socketRecvBuffer
        rpcReadTimeoutMs = try reader.long("rpcReadTimeoutMs") ?? rpcReadTimeoutMs
        nettyWriteBufferHighWaterMark =
            try reader.long("nettyWriteBufferHighWaterMark") ?? nettyWriteBufferHighWaterMark
        nettyWriteBufferLowWaterMark = try reader.long("nettyWriteBufferLowWaterMark") ?? nettyWriteBufferLowWaterMark
        onlineOnlyReadToRWPeriodMs = try reader.long("onlineOnlyReadToRWPeriodMs") ?? onlineOnlyReadToRWPeriodMs
        stepChgWaitPeriodMs = try reader.long("stepChgWaitPeriodMs") ?? stepChgWaitPeriodMs
        offlineOnlyReadToRWPeriodMs = try reader.long("offlineOnlyReadToRWPeriodMs") ?? offlineOnlyReadToRWPeriodMs
        rowLockWaitDurMs = try reader.int("rowLockWaitDurMs") ?? rowLockWaitDurMs
        if let value = try reader.long("visitTokenValidPeriodMs") {
            visitTokenValidPeriodMs = reader.atLeast("visitTokenValidPeriodMs", value, 180_000)
        }
        if let value = try reader.long("authValidTimeStampPeriodMs") {
            authValidTimeStampPeriodMs = reader.clamp("authValidTimeStampPeriodMs", value, to: 5_000...120_000)
        }
        if let value = try reader.long("maxMetaForceUpdatePeriodMs") {
            maxMetaForceUpdatePeriodMs = reader.atLeast("maxMetaForceUpdatePeriodMs", value, 60_000)
        }
    }

    private mutating func loadBalancing(_ reader: inout SectionReader) throws(ConfigError) {
        maxGroupBrokerConsumeRate = try reader.int("maxGroupBrokerConsumeRate") ?? maxGroupBrokerConsumeRate
        maxGroupRebalanceWaitPeriod = try reader.int("maxGroupRebalanceWaitPeriod") ?? maxGroupRebalanceWaitPeriod
        startOffsetResetCheck = try reader.bool("startOffsetResetCheck", default: startOffsetResetCheck)
        maxAutoForbiddenCnt = try reader.int("maxAutoForbiddenCnt") ?? maxAutoForbiddenCnt
        if let value = try reader.int("rebalanceParallel") {
            rebalanceParallel = reader.clamp("rebalanceParallel", value, to: 1...20)
        }
    }

    private mutating func loadSecurity(_ reader: inout SectionReader) throws(ConfigError) {
        startVisitTokenCheck = try reader.bool("startVisitTokenCheck", default: startVisitTokenCheck)
        startProduceAuthenticate = try reader.bool("startProduceAuthenticate", default: startProduceAuthenticate)
        startProduceAuthorize = try reader.bool("startProduceAuthorize", default: startProduceAuthorize)
        startConsumeAuthenticate = try reader.bool("startConsumeAuthenticate", default: startConsumeAuthenticate)
        startConsumeAuthorize = try reader.bool("startConsumeAuthorize", default: startConsumeAuthorize)
        needBrokerVisitAuth = try reader.bool("needBrokerVisitAuth", default: needBrokerVisitAuth)
        if let file = reader.string("authUserFile"), !file.isEmpty { authUserFile = file }
        if needBrokerVisitAuth {
            visitName = try reader.requiredString("visitName", neededBy: "needBrokerVisitAuth")
            visitPassword = try reader.requiredString("visitPassword", neededBy: "needBrokerVisitAuth")
        }
    }
}
