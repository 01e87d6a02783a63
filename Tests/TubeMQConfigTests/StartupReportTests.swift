import Testing
import TubeMQConfig

@Suite("start-up report: ignored keys, unknown keys, merged files")
struct StartupReportTests {
    @Test func sampleMasterReportsWhatWeDoNotActOn() throws {
        let config = try master(Fixtures.masterINI)
        let ignored = config.ignoredKeys()
        #expect(ignored.contains(ConfigKey(section: "master", name: "webResourcePath")))
        #expect(ignored.contains(ConfigKey(section: "master", name: "useWebProxy")))
        #expect(ignored.contains(ConfigKey(section: "meta_zookeeper", name: "zkServerAddr")))
        #expect(ignored.filter { $0.section == "meta_zookeeper" }.count == 7)
        #expect(!ignored.contains(ConfigKey(section: "master", name: "port")))
        #expect(!ignored.contains(ConfigKey(section: "master", name: "consumerBalancePeriodMs")))
        #expect(ignored.count == 9)
        let warnings = config.startupWarnings()
        #expect(warnings.count == 9)
        #expect(warnings.allSatisfy { $0.kind == .ignoredKey })
        // Required (TubeMQ's loader needs it) but unused: the notice must not read as "remove it".
        let resources = try #require(warnings.first { $0.key == "webResourcePath" })
        #expect(resources.message.contains("required, as in TubeMQ, but not used"))
        let zk = try #require(warnings.first { $0.section == "meta_zookeeper" })
        #expect(zk.message.contains("embedded store"))
        #expect(zk.line == 17)
    }

    @Test func sampleBrokerReportsTheUnreadSampleKey() throws {
        let config = try broker(Fixtures.brokerINI)
        #expect(config.ignoredKeys() == [ConfigKey(section: "broker", name: "loadMessageStoresInParallel")])
    }

    @Test func unknownKeysAreReportedWithASuggestion() throws {
        let config = try master(Fixtures.master("consumerHeartbeatTimeoutMS=1000", "totallyNew=1"))
        let warnings = config.startupWarnings()
        let typo = try #require(warnings.first { $0.key == "consumerHeartbeatTimeoutMS" })
        #expect(typo.kind == .unknownKey)
        #expect(typo.message.contains("did you mean consumerHeartbeatTimeoutMs?"))
        #expect(typo.line == 3)
        let unknown = try #require(warnings.first { $0.key == "totallyNew" })
        #expect(unknown.kind == .unknownKey)
        #expect(!unknown.message.contains("did you mean"))
        #expect(
            config.ignoredKeys() == [ConfigKey(section: "master", name: "webResourcePath")],
            "unknown keys are not 'ignored TubeMQ keys'"
        )
    }

    @Test func unknownSectionsAndBlankKeys() throws {
        let config = try master(Fixtures.master("useWebProxy=") + "\n[masterr]\nport=1")
        let warnings = config.startupWarnings()
        #expect(warnings.map(\.kind) == [.unknownSection, .ignoredKey])
        #expect(warnings.first?.section == "masterr")
        #expect(warnings.first?.line == 4)
        #expect(warnings.last?.key == "webResourcePath", "blank useWebProxy is absent, so not reported")
        #expect(config.ignoredKeys() == [ConfigKey(section: "master", name: "webResourcePath")])
    }

    @Test func loadWarningsComeFirst() throws {
        let config = try broker(Fixtures.broker("port=x", "numPartitions=3"))
        let warnings = config.startupWarnings()
        #expect(warnings.map(\.kind) == [.unparseableValue, .ignoredKey])
        #expect(warnings.last?.key == "numPartitions", "legacy topic keys are recognised, not unknown")
    }

    /// A value clamped into range and then not acted on gets one note, not "using 1000" and then
    /// "no effect"; a clamped key that is acted on keeps its note.
    @Test func aClampedKeyWithoutEffectIsReportedOnce() throws {
        let config = try broker(Fixtures.broker("offsetStgCacheFlushMs=5000"))
        let notes = config.startupWarnings().filter { $0.key == "offsetStgCacheFlushMs" }
        #expect(notes.map(\.kind) == [.ignoredKey], "\(notes)")
        let acted = try master(Fixtures.master("visitTokenValidPeriodMs=1000"))
        #expect(acted.startupWarnings().contains { $0.key == "visitTokenValidPeriodMs" && $0.kind == .adjustedValue })
    }

    @Test func callerMayWidenTheSupportedSet() throws {
        let config = try master(Fixtures.masterINI)
        let wider = MasterINI.supportedKeys.union([ConfigKey(section: "master", name: "useWebProxy")])
        #expect(config.ignoredKeys(supportedKeys: wider).count == 8)
        #expect(config.startupWarnings(supportedKeys: wider).count == 8)
    }

    /// `promEnable` and `promHttpPort` start the metrics endpoint: they were reported as having no
    /// effect while the endpoint was served.
    @Test func prometheusEndpointKeysAreActedOnTheOthersAreReported() throws {
        let section = "\n[prometheus]\npromEnable=true\npromHttpPort=9091\npromClusterName=c1"
        for config in [
            try broker(Fixtures.broker() + section).ignoredKeys(),
            try master(Fixtures.master() + section).ignoredKeys(),
        ] {
            #expect(!config.contains(ConfigKey(section: "prometheus", name: "promEnable")))
            #expect(!config.contains(ConfigKey(section: "prometheus", name: "promHttpPort")))
            #expect(config.contains(ConfigKey(section: "prometheus", name: "promClusterName")))
        }
    }

    @Test func tlsSettingsAreActedOnByMasterAndBroker() throws {
        let section =
            "\n[tlsSetting]\ntlsEnable=true\ntlsPort=9124\ntlsKeyStorePath=k.p12\ntlsKeyStorePassword=p"
            + "\ntlsTwoWayAuthEnable=true\ntlsTrustStorePath=t.p12\ntlsTrustStorePassword=q"
        let brokerConfig = try broker(Fixtures.broker() + section)
        #expect(brokerConfig.tls.isEnabled && brokerConfig.tls.port == 9124)
        #expect(brokerConfig.ignoredKeys().allSatisfy { $0.section != "tlsSetting" })
        let masterConfig = try master(Fixtures.master() + section)
        #expect(masterConfig.tls.isTwoWayAuthEnabled && masterConfig.tls.trustStorePath == "t.p12")
        #expect(masterConfig.ignoredKeys().allSatisfy { $0.section != "tlsSetting" })
        #expect(masterConfig.startupWarnings().allSatisfy { $0.section != "tlsSetting" })
    }

    @Test func supportedKeysAreKnownKeys() {
        #expect(MasterINI.supportedKeys.isSubset(of: MasterINI.knownKeys))
        #expect(BrokerINI.supportedKeys.isSubset(of: BrokerINI.knownKeys))
        // 36 of config.md, metaDataPath, authUserFile, maxConnections, maxConnectionsPerAddress.
        #expect(MasterINI.knownKeys.filter { $0.section == "master" }.count == 40)
        #expect(BrokerINI.knownKeys.contains(ConfigKey(section: "broker", name: "io")))
    }

    @Test func mergedSingleFileServesBothComponents() throws {
        let merged = try IniFile(parsing: Fixtures.masterINI + "\n" + Fixtures.brokerINI, source: "tubemq.ini")
        let masterConfig = try MasterINI(ini: merged)
        let brokerConfig = try BrokerINI(ini: merged)
        #expect(masterConfig.port == 8715)
        #expect(brokerConfig.port == 8123)
        #expect(brokerConfig.masterAddresses.first?.port == masterConfig.port)
        #expect(masterConfig.startupWarnings().allSatisfy { $0.section != "broker" })
        #expect(brokerConfig.startupWarnings().allSatisfy { $0.section == "broker" })
        #expect(masterConfig.startupWarnings().count == 9)
        #expect(brokerConfig.startupWarnings().count == 1)
    }

    @Test func twoFilesMergedWithIniFileMerging() throws {
        let masterFile = try IniFile(parsing: Fixtures.masterINI, source: "master.ini")
        let brokerFile = try IniFile(
            parsing: Fixtures.brokerINI + "\n[tlsSetting]\ntlsEnable=false",
            source: "broker.ini"
        )
        let merged = masterFile.merging(brokerFile)
        let masterConfig = try MasterINI(ini: merged)
        let brokerConfig = try BrokerINI(ini: merged)
        #expect(masterConfig.producerHeartbeatTimeoutMs == 45_000)
        #expect(brokerConfig.consumerRegTimeoutMs == 35_000)
        #expect(masterConfig.tls.port == 8716 && brokerConfig.tls.port == 8124)
    }

    @Test func loadingFromDisk() throws {
        let path = "/tmp/tubemq-config-test-\(UInt32.random(in: 0...UInt32.max)).ini"
        try writeFile(path, Fixtures.brokerINI)
        defer { removeFile(path) }
        let config = try BrokerINI(contentsOfFile: path)
        #expect(config.brokerId == 1)
        #expect(config.fileOutline.source == path)
        let error = configError { () throws(ConfigError) in try MasterINI(contentsOfFile: path) }
        #expect(error?.code == .missingSection)
        #expect(error?.source == path)
    }
}
