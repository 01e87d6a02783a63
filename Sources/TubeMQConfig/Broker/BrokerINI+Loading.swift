extension BrokerINI {
    /// The name of the required broker section.
    static let section = "broker"

    /// Loads and validates broker.ini at `path`.
    ///
    /// - Throws: ``ConfigError`` if the file cannot be read or parsed, or for any error of ``init(ini:)``.
    public init(contentsOfFile path: String) throws(ConfigError) {
        try self.init(ini: IniFile(contentsOfFile: path))
    }

    /// Loads and validates a parsed broker.ini (or a merged master + broker ini) with the Java loader's
    /// rules: blank values keep the default, an unparseable `port` falls back to 8123 with a warning, any
    /// other unparseable number is an error, and out-of-range values are clamped with a warning.
    ///
    /// - Throws: ``ConfigError``: ``ConfigError/Code/missingSection`` for an absent `[broker]`;
    ///   ``ConfigError/Code/missingKey`` (with the closest key present as a suggestion) or
    ///   ``ConfigError/Code/blankValue`` for `brokerId`, `hostName`, `masterAddressList`, `primaryPath`,
    ///   `maxSegmentSize` or `transferSize`; ``ConfigError/Code/unparseableValue``;
    ///   ``ConfigError/Code/invalidValue`` for a bad address list, path or `io` value; and every error of
    ///   ``validate()``.
    public init(ini: IniFile) throws(ConfigError) {
        var reader = SectionReader(ini, section: Self.section)
        reader.ownKeys = Set(Self.brokerKeyNames)
        guard reader.section != nil else {
            throw ConfigError(
                .missingSection,
                "Require broker section in configure file not Blank!",
                section: Self.section,
                source: ini.source
            )
        }
        let brokerId = try reader.requiredInt("brokerId")
        let primaryPath = try Self.loadPrimaryPath(reader)
        let hostName = try reader.requiredString("hostName")
        let addressText = try reader.requiredString("masterAddressList")
        guard case .success(let addresses) = HostAndPort.parseList(addressText) else {
            throw reader.error(
                .invalidValue,
                "masterAddressList must be like \"ip1:port1,ip2:port2\"",
                "masterAddressList"
            )
        }
        self.init(brokerId: brokerId, hostName: hostName, masterAddresses: addresses, primaryPath: primaryPath)
        fileOutline = FileOutline(ini)
        port = reader.int("port", default: port)
        defEthName = reader.string("defEthName", default: defEthName)
        webPort = try reader.int("webPort") ?? webPort
        try connectionLimits.load(&reader)
        try loadStorage(&reader)
        try loadTiming(&reader)
        try loadOffsets(&reader)
        try loadSecurity(&reader)
        loadWarnings += reader.warnings
        tls = try TLSConfig.load(
            ini,
            defaultPort: TLSConfig.defaultBrokerPort,
            readsWebKeys: true,
            defaultWebPort: TLSConfig.defaultBrokerWebPort,
            readsMasterLinkKeys: true,
            warnings: &loadWarnings
        )
        let zooKeeperReader = SectionReader(ini, section: "zookeeper")
        if zooKeeperReader.hasKeys { zooKeeper = try ZooKeeperConfig.load(zooKeeperReader) }
        audit = try AuditConfig.load(ini)
        prometheus = try PrometheusConfig.load(ini)
        try validate()
    }

    /// `primaryPath` without trailing separators; a path made only of separators is an error.
    private static func loadPrimaryPath(_ reader: SectionReader) throws(ConfigError) -> String {
        let raw = try reader.requiredString("primaryPath")
        var path = Substring(raw)
        while path.last == "/" { path = path.dropLast() }
        guard !path.isEmpty else {
            throw reader.error(.invalidValue, "primaryPath \"\(raw)\" is only a path separator", "primaryPath")
        }
        return String(path)
    }

    private mutating func loadStorage(_ reader: inout SectionReader) throws(ConfigError) {
        maxSegmentSize = try reader.requiredInt("maxSegmentSize")
        transferSize = try reader.requiredInt("transferSize")
        indexTransCount = try reader.int("indexTransCount") ?? indexTransCount
        maxIndexSegmentSize = try reader.int("maxIndexSegmentSize") ?? maxIndexSegmentSize
        if let value = try reader.long("logClearupDurationMs") {
            logClearupDurationMs = reader.atLeast("logClearupDurationMs", value, 60_000)
        }
        if let value = try reader.long("logFlushDiskDurMs") {
            logFlushDiskDurMs = reader.atLeast("logFlushDiskDurMs", value, 10_000)
        }
        if let value = try reader.long("logFlushMemDurMs") {
            logFlushMemDurMs = reader.atLeast("logFlushMemDurMs", value, 10_000)
        }
        enableMemStore = try reader.bool("enableMemStore", default: enableMemStore)
        defaultDeduceReadSize = try reader.long("defaultDeduceReadSize") ?? defaultDeduceReadSize
        if let text = reader.string("io") {
            guard let backend = StorageIOBackend(configValue: text) else {
                throw reader.error(.invalidValue, "io must be \"uring\" or \"posix\", not \"\(text)\"", "io")
            }
            io = backend
        }
        if let text = reader.string("acknowledgement") {
            let value = text.lowercased()
            guard value == "memory" || value == "disk" else {
                throw reader.error(
                    .invalidValue,
                    "acknowledgement must be \"memory\" or \"disk\", not \"\(text)\"",
                    "acknowledgement"
                )
            }
            acknowledgement = value
        }
        if let value = try reader.long("retentionBytes") {
            guard value >= 0 else {
                throw reader.error(
                    .invalidValue,
                    "retentionBytes must be 0 (no cap) or positive, not \(value)",
                    "retentionBytes"
                )
            }
            retentionBytes = value
        }
    }

    private mutating func loadTiming(_ reader: inout SectionReader) throws(ConfigError) {
        if let value = try reader.int("consumerRegTimeoutMs") {
            consumerRegTimeoutMs = reader.atLeast("consumerRegTimeoutMs", value, 20_000)
        }
        heartbeatPeriodMs = try reader.long("heartbeatPeriodMs") ?? heartbeatPeriodMs
        rpcReadTimeoutMs = try reader.long("rpcReadTimeoutMs") ?? rpcReadTimeoutMs
        socketSendBuffer = try reader.long("socketSendBuffer") ?? socketSendBuffer
        socketRecvBuffer = try reader.long("socketRecvBuffer") ?? socketRecvBuffer
        nettyWriteBufferHighWaterMark =
            try reader.long("nettyWriteBufferHighWaterMark") ?? nettyWriteBufferHighWaterMark
        nettyWriteBufferLowWaterMark = try reader.long("nettyWriteBufferLowWaterMark") ?? nettyWriteBufferLowWaterMark
        tcpWriteServiceThread = try reader.int("tcpWriteServiceThread") ?? tcpWriteServiceThread
        tcpReadServiceThread = try reader.int("tcpReadServiceThread") ?? tcpReadServiceThread
        tlsWriteServiceThread = try reader.int("tlsWriteServiceThread") ?? tlsWriteServiceThread
        tlsReadServiceThread = try reader.int("tlsReadServiceThread") ?? tlsReadServiceThread
        rowLockWaitDurMs = try reader.int("rowLockWaitDurMs") ?? rowLockWaitDurMs
        allowedReadIOExcptCnt = try reader.int("allowedReadIOExcptCnt") ?? allowedReadIOExcptCnt
        allowedWriteIOExcptCnt = try reader.int("allowedWriteIOExcptCnt") ?? allowedWriteIOExcptCnt
        ioExcptStatsDurationMs = try reader.long("ioExcptStatsDurationMs") ?? ioExcptStatsDurationMs
    }

    /// The offset-storage keys, with the Java code's caps applied literally (they are `min`, not `max`).
    private mutating func loadOffsets(_ reader: inout SectionReader) throws(ConfigError) {
        updateConsumerOffsets = try reader.bool("updateConsumerOffsets", default: updateConsumerOffsets)
        enableWriteOffset2Zk = try reader.bool("enableWriteOffset2Zk", default: enableWriteOffset2Zk)
        offsetStgFilePath = reader.string("offsetStgFilePath")
        if let value = try reader.long("offsetStgCacheFlushMs") {
            offsetStgCacheFlushMs = reader.atMost("offsetStgCacheFlushMs", value, 1_000)
            offsetStgFileSyncMs = offsetStgCacheFlushMs + 1_000
        }
        if let value = try reader.long("offsetStgFileSyncMs") {
            offsetStgFileSyncMs = reader.atMost("offsetStgFileSyncMs", value, offsetStgCacheFlushMs + 1_000)
        }
        if let value = try reader.long("offsetStgSyncDurWarnMs") {
            offsetStgSyncDurWarnMs = reader.atMost("offsetStgSyncDurWarnMs", value, offsetStgFileSyncMs + 1_000)
        }
        if let value = try reader.long("grpOffsetStgExpMs") {
            grpOffsetStgExpMs = reader.atMost("grpOffsetStgExpMs", value, 24 * 3_600_000)
        }
        if let value = try reader.long("groupOffsetScanDurMs") {
            groupOffsetScanDurMs = reader.clamp("groupOffsetScanDurMs", value, to: 20_000...480_000)
        }
    }

    private mutating func loadSecurity(_ reader: inout SectionReader) throws(ConfigError) {
        if let value = try reader.long("authValidTimeStampPeriodMs") {
            authValidTimeStampPeriodMs = reader.clamp("authValidTimeStampPeriodMs", value, to: 5_000...120_000)
        }
        if let value = try reader.long("visitTokenCheckInValidTimeMs") {
            visitTokenCheckInValidTimeMs = reader.clamp("visitTokenCheckInValidTimeMs", value, to: 60_000...300_000)
        }
        visitMasterAuth = try reader.bool("visitMasterAuth", default: visitMasterAuth)
        if let token = reader.string("webAdminToken"), !token.isEmpty { webAdminToken = token }
        webAdminTokenCheck = try reader.bool("webAdminTokenCheck", default: webAdminTokenCheck)
        if visitMasterAuth {
            visitName = try reader.requiredString("visitName", neededBy: "visitMasterAuth")
            visitPassword = try reader.requiredString("visitPassword", neededBy: "visitMasterAuth")
        }
    }
}
