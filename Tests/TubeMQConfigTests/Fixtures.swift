// Test fixtures written from the "Sample" column of config.md §1.1 and §2.1: the values TubeMQ's
// shipped conf/master.ini and conf/broker.ini carry (which differ from the code defaults on purpose).

enum Fixtures {
    /// master.ini with the sample values; `[meta_zookeeper]` active and `[meta_bdb]` commented out.
    static let masterINI = """
        ; master.ini as shipped: sample values, not the code defaults
        [master]
        hostName=127.0.0.1
        port=8715
        webPort=8080
        webResourcePath=resources
        confModAuthToken=abc
        # the sample comment says "default 30000"; the code default is 60000
        consumerBalancePeriodMs=30000
        firstBalanceDelayAfterStartMs=60000
        consumerHeartbeatTimeoutMs=30000
        producerHeartbeatTimeoutMs=45000
        brokerHeartbeatTimeoutMs=25000
        useWebProxy=false

        [meta_zookeeper]
        zkServerAddr=localhost:2181
        zkNodeRoot=/tubemq
        zkSessionTimeoutMs=30000
        zkConnectionTimeoutMs=30000
        zkSyncTimeMs=5000
        zkCommitPeriodMs=5000
        zkMasterCheckPeriodMs=5000

        ;[meta_bdb]
        ;repGroupName=tubemqMasterGroup
        ;repNodeName=tubemqMasterGroupNode1
        ;repNodePort=9001
        ;metaDataPath=var/meta_data
        ;repHelperHost=127.0.0.1:9001
        """

    /// broker.ini with the sample values.
    static let brokerINI = """
        [broker]
        brokerId=1
        hostName=127.0.0.1
        port=8123
        webPort=8081
        masterAddressList=127.0.0.1:8715
        primaryPath=var/stage/metadata_1
        maxSegmentSize=1073741824
        maxIndexSegmentSize=22020096
        transferSize=524288
        loadMessageStoresInParallel=true
        consumerRegTimeoutMs=35000
        """

    /// The smallest master.ini the loader accepts: `webResourcePath` is its only required key.
    static let minimalMaster = """
        [master]
        webResourcePath=resources
        """

    /// The smallest broker.ini the loader accepts: the six keys Java requires.
    static let minimalBroker = """
        [broker]
        brokerId=7
        hostName=10.0.0.7
        masterAddressList=10.0.0.1:8715
        primaryPath=/data/tubemq
        maxSegmentSize=536870912
        transferSize=262144
        """

    /// `minimalMaster` with `extra` lines appended to `[master]`.
    static func master(_ extra: String...) -> String {
        ([minimalMaster] + extra).joined(separator: "\n")
    }

    /// `minimalBroker` with `extra` lines appended to `[broker]`.
    static func broker(_ extra: String...) -> String {
        ([minimalBroker] + extra).joined(separator: "\n")
    }
}
