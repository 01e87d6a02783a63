extension MasterState {
    /// Adds a broker record (`admin_add_broker_configure`).
    ///
    /// Ports left out take the cluster defaults; the topic defaults are the cluster's overlaid by
    /// `spec.settings`. Unlike the Java master, two brokers may share an IP as long as their RPC
    /// ports differ (so an in-process cluster can run on 127.0.0.1).
    /// - Throws: ``MasterError`` 400 for a malformed address, 402 for a duplicate id or address,
    ///   407 for a bad port or setting.
    public mutating func addBroker(
        _ spec: BrokerSpec,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        guard let address = IPv4.parse(spec.host) else {
            throw .badRequest("brokerIp \(spec.host) is not an IPv4 address!")
        }
        let id = spec.id > 0 ? spec.id : IPv4.derivedBrokerID(address)
        let port = try Validate.port("brokerPort", spec.port ?? clusterSettings.brokerPort)
        let tlsPort = try Validate.port("brokerTLSPort", spec.tlsPort ?? clusterSettings.brokerTLSPort)
        let webPort = try Validate.port("brokerWebPort", spec.webPort ?? clusterSettings.brokerWebPort)
        guard port != webPort, tlsPort != webPort else {
            throw MasterError(
                code: .illegalValue,
                message: "brokerPort and brokerTLSPort must differ from brokerWebPort!"
            )
        }
        guard brokerConfigs[id] == nil else {
            throw MasterError(code: .recordExists, message: "Broker \(id) already exists!")
        }
        if let clash = brokerConfigs.values.first(where: { $0.host == spec.host && $0.port == port }) {
            throw MasterError(code: .recordExists, message: "Broker \(clash.id) already uses \(spec.host):\(port)!")
        }
        let config = BrokerRecord(
            id: id,
            host: spec.host,
            port: port,
            tlsPort: tlsPort,
            webPort: webPort,
            regionID: spec.regionID,
            groupID: spec.groupID,
            manageStatus: spec.manageStatus,
            defaults: try clusterSettings.topicDefaults.applying(spec.settings),
            configVersion: Int64(0).nextVersion(now: now),
            stamp: RecordStamp(createdBy: user, at: now)
        )
        brokerConfigs[id] = config
        return [.persistBroker(config)] + (refreshServingBrokers(now: now).map { [$0] } ?? [])
    }

    /// Updates a broker record (`admin_update_broker_configure`); its configuration version changes,
    /// so the broker takes the new configuration with its next heartbeat.
    /// - Throws: ``MasterError`` 401 when the broker does not exist, 407 for a bad value.
    public mutating func updateBroker(
        id: Int32,
        _ patch: BrokerPatch,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        var config = try existingBroker(id)
        config.port = try Validate.port("brokerPort", patch.port ?? config.port)
        config.tlsPort = try Validate.port("brokerTLSPort", patch.tlsPort ?? config.tlsPort)
        config.webPort = try Validate.port("brokerWebPort", patch.webPort ?? config.webPort)
        guard config.port != config.webPort, config.tlsPort != config.webPort else {
            throw MasterError(
                code: .illegalValue,
                message: "brokerPort and brokerTLSPort must differ from brokerWebPort!"
            )
        }
        config.regionID = patch.regionID ?? config.regionID
        config.groupID = patch.groupID ?? config.groupID
        config.manageStatus = patch.manageStatus ?? config.manageStatus
        config.defaults = try config.defaults.applying(patch.settings)
        return storeBroker(config, by: user, now: now)
    }

    /// Sets a broker's management status (`admin_online_broker_configure`,
    /// `admin_offline_broker_configure`).
    /// - Throws: ``MasterError`` 401 when the broker does not exist, 406 to take a draft offline (as
    ///   TubeMQ: a draft never served).
    public mutating func setBrokerManageStatus(
        id: Int32,
        _ status: BrokerManageStatus,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        var config = try existingBroker(id)
        if status == .offline, config.manageStatus == .draft {
            throw MasterError(
                code: .illegalStatus,
                message: "The broker \(id) is on draft status, not need offline operate!"
            )
        }
        config.manageStatus = status
        return storeBroker(config, by: user, now: now)
    }

    /// Enables or disables publishing and/or consuming on a broker (`admin_set_broker_read_or_write`),
    /// following the 4-way status mapping; a `nil` flag keeps its current value.
    /// - Throws: ``MasterError`` 401 when the broker does not exist, 400 when both flags are `nil`,
    ///   405 when the broker is still a draft.
    public mutating func setBrokerReadWrite(
        id: Int32,
        acceptPublish: Bool?,
        acceptSubscribe: Bool?,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        var config = try existingBroker(id)
        guard acceptPublish != nil || acceptSubscribe != nil else {
            throw .badRequest("Give acceptPublish or acceptSubscribe!")
        }
        guard config.manageStatus != .draft else {
            throw MasterError(code: .preconditionFailed, message: "Broker \(id) is a draft, put it online first!")
        }
        config.manageStatus = .with(
            acceptPublish: acceptPublish ?? config.manageStatus.acceptsPublish,
            acceptSubscribe: acceptSubscribe ?? config.manageStatus.acceptsSubscribe
        )
        return storeBroker(config, by: user, now: now)
    }

    /// Deletes a broker record (`admin_delete_broker_configure`).
    /// Deployments removed on it and not yet reported gone by the broker go with it.
    /// - Throws: ``MasterError`` 401 when the broker does not exist, 406 (as TubeMQ) unless it is a
    ///   draft or offline, and while topics are still deployed on it (not removed).
    public mutating func deleteBroker(id: Int32, by user: String, now: Int64) throws(MasterError) -> [MasterDirective] {
        let config = try existingBroker(id)
        guard config.manageStatus == .draft || config.manageStatus == .offline else {
            throw MasterError(
                code: .illegalStatus,
                message: "The broker \(id) manage status is \(config.manageStatus), please offline first!"
            )
        }
        // A removed deployment waits for the broker to report it gone; a broker deleted instead (it may
        // never come back) takes such records with it.
        let deployed = topicsByName.values.filter {
            guard let deployment = $0.deployment(on: id) else { return false }
            return deployment.status != .softRemoved
        }.map(\.name).sorted()
        guard deployed.isEmpty else {
            throw MasterError(
                code: .illegalStatus,
                message: "The topic configure(s) of broker \(id) are not deleted: \(deployed.joined(separator: ","))"
                    + ", remove them first!"
            )
        }
        var purged: [MasterDirective] = []
        for name in topicsByName.keys.sorted() {
            guard var topic = topicsByName[name], topic.deployment(on: id) != nil else { continue }
            topic.removeDeployment(on: id)
            topicsByName[name] = topic
            purged.append(.persistTopic(topic))
        }
        brokerConfigs[id] = nil
        brokerRuntimes[id] = nil
        return purged + [.deleteBroker(id: id)] + (refreshServingBrokers(now: now).map { [$0] } ?? [])
    }

    // MARK: internals

    func existingBroker(_ id: Int32) throws(MasterError) -> BrokerRecord {
        guard let config = brokerConfigs[id] else {
            throw MasterError(code: .recordNotFound, message: "Broker \(id) does not exist!")
        }
        return config
    }

    /// Stores a changed broker record with a new configuration version.
    mutating func storeBroker(_ changed: BrokerRecord, by user: String, now: Int64) -> [MasterDirective] {
        var config = changed
        config.configVersion = config.configVersion.nextVersion(now: now)
        config.stamp.touch(by: user, at: now)
        brokerConfigs[config.id] = config
        return [.persistBroker(config)] + (refreshServingBrokers(now: now).map { [$0] } ?? [])
    }
}

/// IPv4 parsing for broker addresses.
enum IPv4 {
    /// The four octets of a dotted quad, or `nil`.
    static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt8(part) else {
                return nil
            }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    /// The id the Java master derives from an address: `abs` of the address as a signed 32-bit int.
    static func derivedBrokerID(_ address: UInt32) -> Int32 {
        let signed = Int32(bitPattern: address)
        return signed == .min ? .max : Swift.abs(signed)
    }
}
