import Testing
import TubeMQConfig

@Suite("master.ini meta-store sections (parsed, then ignored)")
struct MasterMetaStoreTests {
    @Test func bothMetaSectionsConflict() {
        let error = configError { () throws(ConfigError) in
            try master(Fixtures.minimalMaster + "\n[meta_zookeeper]\nzkServerAddr=zk:2181\n[meta_bdb]\nrepNodeName=n1")
        }
        #expect(error?.code == .conflict)
        #expect(error?.message.hasPrefix("Cannot configure both") == true)
    }

    @Test func emptyMetaSectionIsAnError() {
        let error = configError { () throws(ConfigError) in try master(Fixtures.minimalMaster + "\n[meta_zookeeper]\n")
        }
        #expect(error?.code == .emptySection)
        #expect(error?.section == "meta_zookeeper")
    }

    @Test func zkAuthDigestIsUserColonPassword() throws {
        let config = try master(
            Fixtures.minimalMaster + "\n[meta_zookeeper]\nzkServerAddr=zk:2181\nzkAuthDigest=tubemq:pw:x"
        )
        #expect(config.metaStore?.zooKeeper?.authDigest == "tubemq:pw:x")
        #expect(MasterINI.zooKeeperMetaStoreKeys.contains(ConfigKey(section: "meta_zookeeper", name: "zkAuthDigest")))
        let none = try master(Fixtures.minimalMaster + "\n[meta_zookeeper]\nzkServerAddr=zk:2181")
        #expect(none.metaStore?.zooKeeper?.authDigest == nil)
        for bad in ["secretnocolon", ":secretpw", "secretuser:"] {
            let error = configError { () throws(ConfigError) in
                try master(Fixtures.minimalMaster + "\n[meta_zookeeper]\nzkAuthDigest=\(bad)")
            }
            #expect(error?.code == .invalidValue, "\(bad)")
            #expect(error?.key == "zkAuthDigest")
            #expect(error.map { "\($0)".contains("secret") } == false, "the value is not echoed")
        }
    }

    @Test func metaBDBLoadsWithDefaults() throws {
        let config = try master(Fixtures.minimalMaster + "\n[meta_bdb]\nrepNodeName=node1\nmetaReplicaSyncPolicy=1")
        let bdb = try #require(config.metaStore?.bdb)
        #expect(bdb.source == .metaBDB)
        #expect(bdb.nodeName == "node1")
        #expect(bdb.groupName == "tubemqMasterGroup")
        #expect(bdb.nodePort == 9001)
        #expect(bdb.metaDataPath == "var/meta_data")
        #expect(bdb.helperHost == "127.0.0.1:9001")
        #expect(bdb.localSyncPolicy == 1)
        #expect(bdb.replicaSyncPolicy == 1)
        #expect(bdb.replicaAckPolicy == 1)
        #expect(bdb.statusCheckTimeoutMs == 10_000)
        #expect(config.metaDataPath == MasterINI.defaultMetaDataPath, "BDB's directory is never reused for our store")
    }

    @Test func metaBDBRequiresANodeNameWithASuggestion() {
        let error = configError { () throws(ConfigError) in
            try master(Fixtures.minimalMaster + "\n[meta_bdb]\nrepNodeNam=node1")
        }
        #expect(error?.code == .missingKey)
        #expect(error?.suggestion == "repNodeNam")
    }

    @Test func repNodePortMustNotClash() {
        let error = configError { () throws(ConfigError) in
            try master(Fixtures.master("webPort=9001") + "\n[meta_bdb]\nrepNodeName=node1")
        }
        #expect(error?.code == .conflict)
        #expect(error?.key == "repNodePort")
    }

    @Test func legacyBdbStoreMapsKeysAndIsDeprecated() throws {
        let config = try master(
            Fixtures.minimalMaster + """

                [bdbStore]
                bdbRepGroupName=g
                bdbNodeName=n2
                bdbNodePort=9002
                bdbEnvHome=/var/bdb
                bdbHelperHost=10.0.0.1:9002
                bdbReplicaAck=2
                """
        )
        let bdb = try #require(config.metaStore?.bdb)
        #expect(bdb.source == .bdbStore)
        #expect(bdb.groupName == "g")
        #expect(bdb.nodeName == "n2")
        #expect(bdb.nodePort == 9002)
        #expect(bdb.metaDataPath == "/var/bdb")
        #expect(bdb.helperHost == "10.0.0.1:9002")
        #expect(bdb.replicaAckPolicy == 2)
        #expect(config.loadWarnings.map(\.kind) == [.deprecatedSection])
    }

    @Test func legacyBdbStoreRequiresEnvHome() {
        let error = configError { () throws(ConfigError) in
            try master(Fixtures.minimalMaster + "\n[bdbStore]\nbdbNodeName=n\nbdbHelperHost=h:1\nbdbEnvHom=/x")
        }
        #expect(error?.code == .missingKey)
        #expect(error?.key == "bdbEnvHome")
        #expect(error?.suggestion == "bdbEnvHom")
    }

    @Test func legacyReplicationReadsMetaDataPathFromMaster() throws {
        let config = try master(Fixtures.master("metaDataPath=/srv/meta") + "\n[replication]\nrepNodeName=n3")
        let bdb = try #require(config.metaStore?.bdb)
        #expect(bdb.source == .replication)
        #expect(bdb.metaDataPath == "/srv/meta")
        #expect(config.metaDataPath == "/srv/meta")
    }

    @Test func metaZooKeeperWinsOverLegacySections() throws {
        let config = try master(
            Fixtures.minimalMaster + "\n[replication]\nrepNodeName=n\n[meta_zookeeper]\nzkNodeRoot=/t"
        )
        guard case .zooKeeper(let zk) = config.metaStore else {
            Issue.record("expected ZooKeeper")
            return
        }
        #expect(zk.nodeRoot == "/t")
    }
}
