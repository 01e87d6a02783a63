import Testing
import TubeMQConfig

@Suite("broker.ini")
struct BrokerConfigTests {
    @Test func sampleFileLoadsWithSampleValues() throws {
        let config = try broker(Fixtures.brokerINI)
        #expect(config.brokerId == 1)
        #expect(config.hostName == "127.0.0.1")
        #expect(config.port == 8123)
        #expect(config.webPort == 8081)
        #expect(config.masterAddresses == [HostAndPort(host: "127.0.0.1", port: 8715)])
        #expect(config.masterAddressList == "127.0.0.1:8715")
        #expect(config.primaryPath == "var/stage/metadata_1")
        #expect(config.maxSegmentSize == 1_073_741_824)
        #expect(config.maxIndexSegmentSize == 22_020_096)
        #expect(config.transferSize == 524_288)
        #expect(config.consumerRegTimeoutMs == 35_000)
        #expect(config.zooKeeper == nil)
        #expect(config.loadWarnings.isEmpty)
    }

    @Test func codeDefaultsWhenKeysAreAbsent() throws {
        let config = try broker(Fixtures.minimalBroker)
        #expect(config.port == 8123)
        #expect(config.webPort == 8081)
        #expect(config.defEthName == "eth1")
        #expect(config.maxIndexSegmentSize == 19_600_000)
        #expect(config.indexTransCount == 1_000)
        #expect(config.consumerRegTimeoutMs == 30_000)
        #expect(config.heartbeatPeriodMs == 8_000)
        #expect(config.rpcReadTimeoutMs == 10_000)
        #expect(config.socketSendBuffer == -1 && config.socketRecvBuffer == -1)
        #expect(config.nettyWriteBufferHighWaterMark == 10_485_760)
        #expect(config.nettyWriteBufferLowWaterMark == 5_242_880)
        #expect(config.tcpWriteServiceThread == BrokerINI.defaultServiceThreads)
        #expect(config.tlsReadServiceThread == BrokerINI.defaultServiceThreads)
        #expect(BrokerINI.defaultServiceThreads >= 2 && BrokerINI.defaultServiceThreads % 2 == 0)
        #expect(config.logClearupDurationMs == 180_000)
        #expect(config.logFlushDiskDurMs == 20_000)
        #expect(config.logFlushMemDurMs == 10_000)
        #expect(config.enableMemStore)
        #expect(config.defaultDeduceReadSize == 7 * 1_073_741_824)
        #expect(config.updateConsumerOffsets && !config.enableWriteOffset2Zk)
        #expect(config.offsetStoragePath == "/data/tubemq")
        #expect(config.offsetStgCacheFlushMs == 5_000)
        #expect(config.offsetStgFileSyncMs == 6_000)
        #expect(config.offsetStgSyncDurWarnMs == 20_000)
        #expect(config.grpOffsetStgExpMs == 1_728_000_000)
        #expect(config.groupOffsetScanDurMs == 60_000)
        #expect(config.allowedReadIOExcptCnt == 3 && config.allowedWriteIOExcptCnt == 3)
        #expect(config.ioExcptStatsDurationMs == 120_000)
        #expect(config.rowLockWaitDurMs == 30_000)
        #expect(config.visitTokenCheckInValidTimeMs == 120_000)
        #expect(config.authValidTimeStampPeriodMs == 20_000)
        #expect(!config.visitMasterAuth)
        #expect(config.io == .uring)
        #expect(config.tls.port == 8124)
        #expect(config.audit == AuditConfig())
        #expect(config.audit.proxyAddresses == [HostAndPort(host: "127.0.0.1", port: 10081)])
        #expect(config.prometheus == PrometheusConfig())
    }

    @Test func requiredBrokerIdBlankIsAnError() {
        let error = configError { () throws(ConfigError) in
            try broker(Fixtures.minimalBroker.replacingOccurrences("brokerId=7", with: "brokerId="))
        }
        #expect(error?.code == .blankValue)
        #expect(error?.message == "Blank value for brokerId")
        #expect(error?.line == 2)
    }

    @Test func misspelledRequiredKeyGetsASuggestion() {
        let error = configError { () throws(ConfigError) in
            try broker(Fixtures.minimalBroker.replacingOccurrences("transferSize", with: "tranferSize"))
        }
        #expect(error?.code == .missingKey)
        #expect(error?.key == "transferSize")
        #expect(error?.suggestion == "tranferSize")
        #expect(error?.description.contains("tranferSize") == true)
    }

    @Test(arguments: ["brokerId", "hostName", "masterAddressList", "primaryPath", "maxSegmentSize", "transferSize"])
    func eachRequiredKeyIsRequired(key: String) {
        let text = Fixtures.minimalBroker.split(separator: "\n").filter { !$0.hasPrefix(key + "=") }.joined(
            separator: "\n"
        )
        let error = configError { () throws(ConfigError) in try broker(text) }
        #expect(error?.code == .missingKey)
        #expect(error?.key == key)
    }

    @Test func missingBrokerSection() {
        let error = configError { () throws(ConfigError) in try broker("[master]\nport=1") }
        #expect(error?.code == .missingSection)
    }

    @Test func badPortFallsBackWithAWarning() throws {
        let config = try broker(Fixtures.broker("port=81 23"))
        #expect(config.port == 8123)
        #expect(config.loadWarnings.map(\.kind) == [.unparseableValue])
    }

    @Test func primaryPathLosesTrailingSeparators() throws {
        let config = try broker(Fixtures.broker("primaryPath=/data/tubemq//"))
        #expect(config.primaryPath == "/data/tubemq")
        let error = configError { () throws(ConfigError) in try broker(Fixtures.broker("primaryPath=/")) }
        #expect(error?.code == .invalidValue)
    }

    @Test func masterAddressListParses() throws {
        let config = try broker(Fixtures.broker("masterAddressList=10.0.0.1:8715, 10.0.0.2:8715"))
        #expect(config.masterAddresses.map(\.description) == ["10.0.0.1:8715", "10.0.0.2:8715"])
        for bad in ["10.0.0.1", "10.0.0.1:87x5", "a:1,,b:2", ":8715"] {
            let error = configError { () throws(ConfigError) in try broker(Fixtures.broker("masterAddressList=\(bad)"))
            }
            #expect(error?.code == .invalidValue, "\(bad)")
        }
    }

    @Test(arguments: [("uring", StorageIOBackend.uring), ("posix", .posix), ("POSIX", .posix)])
    func ioBackend(text: String, expected: StorageIOBackend) throws {
        #expect(try broker(Fixtures.broker("io=\(text)")).io == expected)
    }

    @Test func unknownIOBackendIsAnError() {
        let error = configError { () throws(ConfigError) in try broker(Fixtures.broker("io=aio")) }
        #expect(error?.code == .invalidValue)
        #expect(error?.key == "io")
    }

    @Test func clampsAreAppliedAndReported() throws {
        let config = try broker(
            Fixtures.broker(
                "consumerRegTimeoutMs=1000",
                "logClearupDurationMs=1",
                "logFlushDiskDurMs=1",
                "logFlushMemDurMs=1",
                "visitTokenCheckInValidTimeMs=1",
                "authValidTimeStampPeriodMs=1000000",
                "groupOffsetScanDurMs=1000000"
            )
        )
        #expect(config.consumerRegTimeoutMs == 20_000)
        #expect(config.logClearupDurationMs == 60_000)
        #expect(config.logFlushDiskDurMs == 10_000)
        #expect(config.logFlushMemDurMs == 10_000)
        #expect(config.visitTokenCheckInValidTimeMs == 60_000)
        #expect(config.authValidTimeStampPeriodMs == 120_000)
        #expect(config.groupOffsetScanDurMs == 480_000)
        #expect(config.loadWarnings.count == 7)
    }

    @Test func offsetStorageCapsFollowTheJavaCodeLiterally() throws {
        let config = try broker(
            Fixtures.broker(
                "offsetStgCacheFlushMs=5000",
                "offsetStgSyncDurWarnMs=60000",
                "grpOffsetStgExpMs=999999999",
                "offsetStgFilePath=/data/offsets"
            )
        )
        #expect(config.offsetStgCacheFlushMs == 1_000)
        #expect(config.offsetStgFileSyncMs == 2_000)
        #expect(config.offsetStgSyncDurWarnMs == 3_000)
        #expect(config.grpOffsetStgExpMs == 86_400_000)
        #expect(config.offsetStoragePath == "/data/offsets")
    }

    @Test(arguments: [
        ("port=9000\nwebPort=9000", ConfigError.Code.conflict, "webPort"),
        ("visitMasterAuth=true\nvisitName=a\nvisitPassword=", .blankValue, "visitPassword"),
        ("maxSegmentSize=0", .invalidValue, "maxSegmentSize"),
        ("webPort=-1", .invalidValue, "webPort"),
    ])
    func validationFailures(extra: String, code: ConfigError.Code, key: String) {
        let error = configError { () throws(ConfigError) in try broker(Fixtures.broker(extra)) }
        #expect(error?.code == code)
        #expect(error?.key == key)
    }

    @Test func tlsPortMustDifferFromWebPort() {
        let error = configError { () throws(ConfigError) in
            try broker(
                Fixtures.broker("webPort=8124")
                    + "\n[tlsSetting]\ntlsEnable=true\ntlsKeyStorePath=k\ntlsKeyStorePassword=p"
            )
        }
        #expect(error?.code == .conflict)
    }

    @Test func webTLSServesTheBrokerWebapiOverHTTPS() throws {
        let config = try broker(
            Fixtures.minimalBroker + "\n[tlsSetting]\nwebTLSEnable=true\ntlsKeyStorePath=/k.pem\ntlsKeyStorePassword=p"
        )
        #expect(config.tls.isWebEnabled && !config.tls.isEnabled)
        #expect(config.tls.webPort == 8444)
        #expect(config.tls.keyStorePath == "/k.pem")
        #expect(BrokerINI.supportedKeys.contains(ConfigKey(section: "tlsSetting", name: "webTLSPort")))
        let clash = configError { () throws(ConfigError) in
            try broker(
                Fixtures.broker("webPort=9444")
                    + "\n[tlsSetting]\nwebTLSEnable=true\nwebTLSPort=9444\ntlsKeyStorePath=k\ntlsKeyStorePassword=p"
            )
        }
        #expect(clash?.code == .conflict)
        #expect(clash?.key == "webTLSPort")
    }

    @Test func masterTLSLinkNeedsOnlyATrustStore() throws {
        let config = try broker(
            Fixtures.minimalBroker + "\n[tlsSetting]\nmasterTLSEnable=true\ntlsTrustStorePath=/ca.pem"
        )
        #expect(config.tls.isMasterLinkEnabled && !config.tls.isEnabled)
        #expect(config.tls.trustStorePath == "/ca.pem")
        #expect(config.tls.keyStorePath.isEmpty)
        let missing = configError { () throws(ConfigError) in
            try broker(Fixtures.minimalBroker + "\n[tlsSetting]\nmasterTLSEnable=true")
        }
        #expect(missing?.code == .missingKey)
        #expect(missing?.key == "tlsTrustStorePath")
        let plain = try broker(Fixtures.minimalBroker + "\n[tlsSetting]\ntlsEnable=false")
        #expect(!plain.tls.isMasterLinkEnabled)
    }

    @Test func portZeroNeverConflicts() throws {
        let config = try broker(Fixtures.broker("port=0", "webPort=0"))
        #expect(config.port == 0 && config.webPort == 0)
    }

    @Test func zooKeeperSectionLoads() throws {
        let config = try broker(
            Fixtures.minimalBroker + "\n[zookeeper]\nzkServerAddr=zk1:2181,zk2:2181\nzkSessionTimeoutMs=30000"
        )
        let zk = try #require(config.zooKeeper)
        #expect(zk.serverAddress == "zk1:2181,zk2:2181")
        #expect(zk.sessionTimeoutMs == 30_000)
        #expect(zk.connectionTimeoutMs == nil, "not given")
        #expect(zk.syncTimeMs == 1_000)
    }

    @Test func auditSection() throws {
        let config = try broker(
            Fixtures.minimalBroker
                + "\n[audit]\nauditEnable=true\nauditProxyAddr=10.0.0.9:10081,10.0.0.2:10081\nauditIdProduce=19"
        )
        #expect(config.audit.isEnabled)
        #expect(config.audit.proxyAddresses.map(\.description) == ["10.0.0.2:10081", "10.0.0.9:10081"])
        #expect(config.audit.produceAuditID == 19)
        #expect(config.audit.consumeAuditID == 10)
        let error = configError { () throws(ConfigError) in
            try broker(Fixtures.minimalBroker + "\n[audit]\nauditProxyAddr=10.0.0.9")
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.section == "audit")
    }
}

extension String {
    /// Replaces every occurrence of `target` (test helper; keeps the tests free of Foundation).
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
