import Testing
import TubeMQConfig

@Suite("master.ini")
struct MasterConfigTests {
    @Test func sampleFileLoadsWithSampleValues() throws {
        let config = try master(Fixtures.masterINI)
        #expect(config.hostName == "127.0.0.1")
        #expect(config.port == 8715)
        #expect(config.webPort == 8080)
        #expect(config.webResourcePath == "resources")
        #expect(config.confModAuthToken == "abc")
        #expect(config.consumerBalancePeriodMs == 30_000)
        #expect(config.firstBalanceDelayAfterStartMs == 60_000)
        #expect(config.consumerHeartbeatTimeoutMs == 30_000)
        #expect(config.producerHeartbeatTimeoutMs == 45_000)
        #expect(config.brokerHeartbeatTimeoutMs == 25_000)
        #expect(config.useWebProxy == false)
        guard case .zooKeeper(let zk) = config.metaStore else {
            Issue.record("expected [meta_zookeeper], got \(String(describing: config.metaStore))")
            return
        }
        #expect(zk.serverAddress == "localhost:2181")
        #expect(zk.nodeRoot == "/tubemq")
        #expect(zk.sessionTimeoutMs == 30_000)
        #expect(zk.connectionTimeoutMs == 30_000)
        #expect(zk.syncTimeMs == 5_000)
        #expect(zk.commitPeriodMs == 5_000)
        #expect(zk.masterCheckPeriodMs == 5_000)
        #expect(zk.commitFailRetries == 10)
        #expect(zk.requestTimeoutMs == 18_000)
        #expect(config.tls.isEnabled == false)
        #expect(config.loadWarnings.isEmpty)
    }

    @Test func codeDefaultsWhenKeysAreAbsent() throws {
        let config = try master(Fixtures.minimalMaster)
        #expect(config.port == 8715)
        #expect(config.webPort == 8080)
        #expect(config.confModAuthToken == "ASDFGHJKL")
        #expect(config.consumerBalancePeriodMs == 60_000)
        #expect(config.firstBalanceDelayAfterStartMs == 30_000)
        #expect(config.consumerHeartbeatTimeoutMs == 30_000)
        #expect(config.producerHeartbeatTimeoutMs == 30_000)
        #expect(config.brokerHeartbeatTimeoutMs == 30_000)
        #expect(config.rpcReadTimeoutMs == 10_000)
        #expect(config.socketSendBuffer == -1)
        #expect(config.socketRecvBuffer == -1)
        #expect(config.nettyWriteBufferHighWaterMark == 10_485_760)
        #expect(config.nettyWriteBufferLowWaterMark == 5_242_880)
        #expect(config.onlineOnlyReadToRWPeriodMs == 120_000)
        #expect(config.offlineOnlyReadToRWPeriodMs == 30_000)
        #expect(config.stepChgWaitPeriodMs == 12_000)
        #expect(config.maxGroupBrokerConsumeRate == 1_000)
        #expect(config.maxGroupRebalanceWaitPeriod == 2)
        #expect(config.maxAutoForbiddenCnt == 5)
        #expect(config.rowLockWaitDurMs == 30_000)
        #expect(config.visitTokenValidPeriodMs == 300_000)
        #expect(config.authValidTimeStampPeriodMs == 20_000)
        #expect(config.rebalanceParallel == 4)
        #expect(config.maxMetaForceUpdatePeriodMs == 180_000)
        #expect(!config.startOffsetResetCheck && !config.startVisitTokenCheck && !config.needBrokerVisitAuth)
        #expect(!config.startProduceAuthenticate && !config.startProduceAuthorize)
        #expect(!config.startConsumeAuthenticate && !config.startConsumeAuthorize)
        #expect(config.visitName == "" && config.visitPassword == "")
        #expect(config.tls.port == 8716)
        #expect(config.prometheus.httpPort == 9081)
        #expect(config.prometheus.clusterName == "InLong")
        #expect(config.metaStore == nil, "no meta-store section is fine: the store is embedded")
        #expect(config.metaDataPath == MasterINI.defaultMetaDataPath)
        #expect(config.fileOutline.keys.count == 1)
    }

    @Test func codeInitMatchesLoadedDefaults() throws {
        var loaded = try master("[master]\nwebResourcePath=../resources")
        loaded.fileOutline = FileOutline()
        #expect(loaded == MasterINI())
        #expect(throws: Never.self) { try MasterINI().validate() }
    }

    @Test func blankHostNameBindsLoopbackAndBlankKeysKeepDefaults() throws {
        let config = try master(
            Fixtures.master("hostName=", "port=", "consumerBalancePeriodMs=  ", "metaDataPath=/srv/meta")
        )
        #expect(config.hostName == "127.0.0.1")
        #expect(config.port == 8715)
        #expect(config.consumerBalancePeriodMs == 60_000)
        #expect(config.metaDataPath == "/srv/meta")
    }

    @Test func badPortFallsBackWithAWarning() throws {
        let config = try master(Fixtures.master("port=87l5"))
        #expect(config.port == 8715)
        #expect(config.loadWarnings.map(\.kind) == [.unparseableValue])
        #expect(config.loadWarnings.first?.key == "port")
        #expect(config.loadWarnings.first?.line == 3)
    }

    @Test func badTimingIsAnErrorAsInJava() {
        let error = configError { () throws(ConfigError) in try master(Fixtures.master("brokerHeartbeatTimeoutMs=25s"))
        }
        #expect(error?.code == .unparseableValue)
        #expect(error?.key == "brokerHeartbeatTimeoutMs")
        #expect(error?.line == 3)
    }

    @Test func missingOrEmptyMasterSection() {
        let missing = configError { () throws(ConfigError) in try master("[meta_zookeeper]\nzkServerAddr=x") }
        #expect(missing?.code == .missingSection)
        let empty = configError { () throws(ConfigError) in try master("[master]\n[meta_zookeeper]\nzkServerAddr=x") }
        #expect(empty?.code == .emptySection)
    }

    @Test func misspelledRequiredKeyGetsASuggestion() {
        let error = configError { () throws(ConfigError) in try master("[master]\nport=8715\nwebResoucePath=resources")
        }
        #expect(error?.code == .missingKey)
        #expect(error?.key == "webResourcePath")
        #expect(error?.suggestion == "webResoucePath")
    }

    /// A key required because another is on is reported at that key's line, and a key the section
    /// defines for itself is never offered as its misspelling (`hostName` was, for `visitName`).
    @Test func aKeyRequiredByAnotherNamesItsCause() {
        let error = configError { () throws(ConfigError) in try master(Fixtures.master("needBrokerVisitAuth=true")) }
        #expect(error?.code == .missingKey)
        #expect(error?.key == "visitName")
        #expect(error?.suggestion == nil, "\(error?.message ?? "")")
        #expect(error?.message.contains("when needBrokerVisitAuth is true") == true, "\(error?.message ?? "")")
        let causeLine = Fixtures.master("needBrokerVisitAuth=true").split(
            separator: "\n",
            omittingEmptySubsequences: false
        )
        .firstIndex { $0.hasPrefix("needBrokerVisitAuth") }.map { $0 + 1 }
        #expect(error?.line == causeLine)
    }

    @Test func blankRequiredKeyIsAnError() {
        let error = configError { () throws(ConfigError) in try master("[master]\nwebResourcePath=") }
        #expect(error?.code == .blankValue)
        #expect(error?.message == "Blank value for webResourcePath")
    }

    @Test(arguments: [
        ("port=9000\nwebPort=9000", ConfigError.Code.conflict, "webPort"),
        ("confModAuthToken=" + String(repeating: "x", count: 129), .invalidValue, "confModAuthToken"),
        ("maxGroupBrokerConsumeRate=0", .invalidValue, "maxGroupBrokerConsumeRate"),
        ("startProduceAuthorize=true", .conflict, "startProduceAuthorize"),
        ("startConsumeAuthorize=TRUE\nstartConsumeAuthenticate=false", .conflict, "startConsumeAuthorize"),
        ("startConsumeAuthenticate=yes", .unparseableValue, "startConsumeAuthenticate"),
        ("needBrokerVisitAuth=true\nvisitName=admin", .missingKey, "visitPassword"),
        ("port=70000", .invalidValue, "port"),
    ])
    func validationFailures(extra: String, code: ConfigError.Code, key: String) {
        let error = configError { () throws(ConfigError) in try master(Fixtures.master(extra)) }
        #expect(error?.code == code)
        #expect(error?.key == key)
    }

    /// `[meta_zookeeper]` values that would keep an HA master from ever becoming active fail the
    /// start, naming the key (a relative `zkNodeRoot` used to loop on "path must be absolute").
    @Test(arguments: [
        ("zkNodeRoot=tubemq", "zkNodeRoot"),
        ("zkNodeRoot=/tubemq/", "zkNodeRoot"),
        ("zkNodeRoot=/a//b", "zkNodeRoot"),
        ("zkServerAddr=127.0.0.1:abc", "zkServerAddr"),
        ("zkServerAddr=zk1:2181,,zk2:2181", "zkServerAddr"),
        ("zkServerAddr=", "zkServerAddr"),
        ("zkSessionTimeoutMs=0", "zkSessionTimeoutMs"),
        ("zkConnectionTimeoutMs=-1", "zkConnectionTimeoutMs"),
    ])
    func badZooKeeperValues(line: String, key: String) {
        let error = configError { () throws(ConfigError) in
            try master(Fixtures.minimalMaster + "\n[meta_zookeeper]\nzkServerAddr=127.0.0.1:2181\n" + line)
        }
        #expect(error?.code == .invalidValue, "\(String(describing: error))")
        #expect(error?.key == key)
    }

    @Test func zooKeeperConnectStringsWithChrootAndDefaultPort() throws {
        let config = try master(
            Fixtures.minimalMaster + "\n[meta_zookeeper]\nzkServerAddr=zk1,zk2:2182/chroot\nzkNodeRoot=/"
        )
        guard case .zooKeeper(let zk) = config.metaStore else {
            Issue.record("expected [meta_zookeeper]")
            return
        }
        #expect(zk.serverAddress == "zk1,zk2:2182/chroot")
        #expect(zk.nodeRoot == "/")
        #expect(zk.connectionTimeoutMs == nil)
    }

    @Test func validationPassesAtTheLimits() throws {
        let config = try master(
            Fixtures.master(
                "confModAuthToken=" + String(repeating: "x", count: 128),
                "maxGroupBrokerConsumeRate=1",
                "startProduceAuthorize=true",
                "startProduceAuthenticate=true",
                "needBrokerVisitAuth=true",
                "visitName=admin",
                "visitPassword=secret"
            )
        )
        #expect(config.confModAuthToken.count == 128)
        #expect(config.startProduceAuthorize && config.startProduceAuthenticate)
        #expect(config.visitName == "admin" && config.visitPassword == "secret")
    }

    @Test func portZeroPicksAFreePortAndNeverConflicts() throws {
        let config = try master(Fixtures.master("port=0", "webPort=0"))
        #expect(config.port == 0 && config.webPort == 0)
    }

    @Test func tlsAndPrometheusPortClashes() {
        let tls = configError { () throws(ConfigError) in
            try master(
                Fixtures.master("webPort=8716")
                    + "\n[tlsSetting]\ntlsEnable=true\ntlsKeyStorePath=k\ntlsKeyStorePassword=p"
            )
        }
        #expect(tls?.code == .conflict)
        let prometheus = configError { () throws(ConfigError) in
            try master(Fixtures.minimalMaster + "\n[prometheus]\npromEnable=true\npromHttpPort=8715")
        }
        #expect(prometheus?.code == .conflict)
        #expect(prometheus?.section == "prometheus")
    }

    @Test func disabledTlsIgnoresItsOtherKeys() throws {
        let config = try master(Fixtures.minimalMaster + "\n[tlsSetting]\ntlsEnable=false\ntlsPort=8080")
        #expect(config.tls.isEnabled == false)
        #expect(config.tls.port == 8716)
    }

    @Test func enabledTlsRequiresItsKeystoreWithASuggestion() {
        let error = configError { () throws(ConfigError) in
            try master(
                Fixtures.minimalMaster + "\n[tlsSetting]\ntlsEnable=true\ntlsKeyStorPath=/k\ntlsKeyStorePassword=p"
            )
        }
        #expect(error?.code == .missingKey)
        #expect(error?.section == "tlsSetting")
        #expect(error?.suggestion == "tlsKeyStorPath")
    }

    @Test func webTLSServesHTTPSWithTheSectionsKeyStore() throws {
        let config = try master(
            Fixtures.minimalMaster
                + "\n[tlsSetting]\nwebTLSEnable=true\ntlsKeyStorePath=/k.pem\ntlsKeyStorePassword=p"
        )
        #expect(config.tls.isWebEnabled && !config.tls.isEnabled)
        #expect(config.tls.webPort == 8443)
        #expect(config.tls.keyStorePath == "/k.pem")
        let chosen = try master(
            Fixtures.minimalMaster
                + "\n[tlsSetting]\nwebTLSEnable=true\nwebTLSPort=9443\ntlsKeyStorePath=/k\ntlsKeyStorePassword=p"
        )
        #expect(chosen.tls.webPort == 9443)
        let off = try master(Fixtures.minimalMaster + "\n[tlsSetting]\nwebTLSEnable=false\nwebTLSPort=9443")
        #expect(!off.tls.isWebEnabled)
        let missing = configError { () throws(ConfigError) in
            try master(Fixtures.minimalMaster + "\n[tlsSetting]\nwebTLSEnable=true")
        }
        #expect(missing?.code == .missingKey)
        let clash = configError { () throws(ConfigError) in
            try master(
                Fixtures.master("webPort=9443")
                    + "\n[tlsSetting]\nwebTLSEnable=true\nwebTLSPort=9443\ntlsKeyStorePath=k\ntlsKeyStorePassword=p"
            )
        }
        #expect(clash?.code == .conflict)
        #expect(clash?.key == "webTLSPort")
    }

    @Test func enabledTlsLoads() throws {
        let config = try master(
            Fixtures.minimalMaster + """

                [tlsSetting]
                tlsEnable=true
                tlsPort=9443
                tlsKeyStorePath=/etc/tubemq/ks.jks
                tlsKeyStorePassword=pw
                tlsTwoWayAuthEnable=true
                tlsTrustStorePath=/etc/tubemq/ts.jks
                tlsTrustStorePassword=tpw
                """
        )
        #expect(config.tls.isEnabled && config.tls.isTwoWayAuthEnabled)
        #expect(config.tls.port == 9443)
        #expect(config.tls.keyStorePath == "/etc/tubemq/ks.jks")
        #expect(config.tls.trustStorePassword == "tpw")
    }

    @Test func clampsAreAppliedAndReported() throws {
        let config = try master(
            Fixtures.master(
                "rebalanceParallel=50",
                "visitTokenValidPeriodMs=1000",
                "authValidTimeStampPeriodMs=999999",
                "maxMetaForceUpdatePeriodMs=10"
            )
        )
        #expect(config.rebalanceParallel == 20)
        #expect(config.visitTokenValidPeriodMs == 180_000)
        #expect(config.authValidTimeStampPeriodMs == 120_000)
        #expect(config.maxMetaForceUpdatePeriodMs == 60_000)
        #expect(config.loadWarnings.count == 4)
        #expect(config.loadWarnings.allSatisfy { $0.kind == .adjustedValue })
    }
}
