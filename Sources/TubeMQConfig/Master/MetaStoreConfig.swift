/// The meta-store section of master.ini: exactly one of `[meta_zookeeper]` or `[meta_bdb]` (or a legacy
/// `[replication]` / `[bdbStore]`).
///
/// `[meta_zookeeper]` makes `tubemq-master` keep its metadata in ZooKeeper and run as one master of
/// an HA group (`docs/master-ha.md`); without it the master keeps an embedded store under
/// ``MasterINI/metaDataPath``. The BDB sections are parsed (and checked as Java checks them) but do not
/// change behaviour; their keys are reported as ignored. Unlike Java, a master.ini with no meta-store
/// section is accepted.
public enum MetaStoreConfig: Sendable, Hashable {
    /// `[meta_zookeeper]`: Java's ZooKeeper meta store (the default since TubeMQ 1.1.0).
    case zooKeeper(ZooKeeperConfig)
    /// `[meta_bdb]`, `[replication]` or `[bdbStore]`: Java's BDB-JE replicated store.
    case bdb(BDBMetaConfig)

    /// The section names, in the order Java checks them.
    static let sectionNames = ["meta_zookeeper", "meta_bdb", "replication", "bdbStore"]

    /// Every key of the meta-store sections.
    static let keys: Set<ConfigKey> = Set<ConfigKey>.keys(ZooKeeperConfig.metaKeyNames, in: "meta_zookeeper")
        .union(Set<ConfigKey>.keys(BDBMetaConfig.keyNames, in: "meta_bdb"))
        .union(Set<ConfigKey>.keys(BDBMetaConfig.replicationKeyNames, in: "replication"))
        .union(Set<ConfigKey>.keys(BDBMetaConfig.bdbStoreKeyNames, in: "bdbStore"))

    /// Picks and reads the meta-store section as Java does: `[meta_zookeeper]`, then `[meta_bdb]`,
    /// `[replication]`, `[bdbStore]`. Returns `nil` if none is present.
    ///
    /// - Throws: ``ConfigError`` ``ConfigError/Code/conflict`` if both `[meta_bdb]` and
    ///   `[meta_zookeeper]` are present, ``ConfigError/Code/emptySection`` for a present but empty
    ///   section, or the section's own errors.
    static func load(
        _ ini: IniFile,
        masterMetaDataPath: String?,
        warnings: inout [ConfigWarning]
    ) throws(ConfigError) -> MetaStoreConfig? {
        if let bdb = ini[section: "meta_bdb"], ini[section: "meta_zookeeper"] != nil {
            throw ConfigError(
                .conflict,
                "Cannot configure both meta_bdb and meta_zookeeper meta-data sections in the same time, "
                    + "please confirm them and retain one first!",
                line: bdb.line,
                source: ini.source
            )
        }
        let zooKeeper = SectionReader(ini, section: "meta_zookeeper")
        if zooKeeper.section != nil {
            guard zooKeeper.hasKeys else {
                throw zooKeeper.error(.emptySection, "Empty configure item in meta_zookeeper section!")
            }
            return .zooKeeper(try ZooKeeperConfig.load(zooKeeper))
        }
        for source in [BDBMetaConfig.Source.metaBDB, .replication, .bdbStore] {
            var reader = SectionReader(ini, section: source.rawValue)
            guard reader.section != nil else { continue }
            if source != .metaBDB {
                reader.warn(
                    .deprecatedSection,
                    nil,
                    "[\(source.rawValue)] section is deprecated. Please config in [meta_bdb] section."
                )
                warnings += reader.warnings
            }
            return .bdb(try BDBMetaConfig.load(reader, source: source, masterMetaDataPath: masterMetaDataPath))
        }
        return nil
    }

    /// The ZooKeeper settings, if this is the ZooKeeper store.
    public var zooKeeper: ZooKeeperConfig? {
        if case .zooKeeper(let config) = self { return config }
        return nil
    }

    /// The BDB settings, if this is a BDB store.
    public var bdb: BDBMetaConfig? {
        if case .bdb(let config) = self { return config }
        return nil
    }
}
