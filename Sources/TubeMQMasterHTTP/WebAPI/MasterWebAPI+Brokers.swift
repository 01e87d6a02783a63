import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// Broker configuration methods (admin-api.md §5.1).
extension MasterWebAPI {
    static let brokerMethods: [MasterWebMethod] = [
        .query("admin_query_broker_configure") { api, p throws(WebParameterError) in try await api.queryBrokers(p) },
        .query("admin_query_broker_run_status") { api, p throws(WebParameterError) in try await api.brokerRunStatus(p)
        },
        .modify("admin_add_broker_configure") { api, p throws(WebParameterError) in try await api.addBroker(p) },
        .modify("admin_update_broker_configure") { api, p throws(WebParameterError) in try await api.updateBroker(p) },
        .modify("admin_delete_broker_configure") { api, p throws(WebParameterError) in
            try await api.eachBroker(p) { master, id, user throws(MasterError) in
                _ = try await master.deleteBroker(id: id, by: user)
            }
        },
        .modify("admin_online_broker_configure") { api, p throws(WebParameterError) in
            try await api.eachBroker(p) { master, id, user throws(MasterError) in
                _ = try await master.onlineBroker(id: id, by: user)
            }
        },
        .modify("admin_offline_broker_configure") { api, p throws(WebParameterError) in
            try await api.eachBroker(p) { master, id, user throws(MasterError) in
                _ = try await master.offlineBroker(id: id, by: user)
            }
        },
        .modify("admin_reload_broker_configure") { api, p throws(WebParameterError) in
            // The master pushes a changed configuration with the broker's next heartbeat by itself;
            // reloading only checks the broker can take it.
            try await api.eachBroker(p) { master, id, _ throws(MasterError) in
                guard let status = await master.broker(id: id) else {
                    throw MasterError(code: .recordNotFound, message: "Broker \(id) does not exist!")
                }
                guard status.config.manageStatus.isInService else {
                    // 406 as TubeMQ's MetaDataManager.
                    throw MasterError(
                        code: .illegalStatus,
                        message: "The broker \(id) is not in online status, can't reload configure!"
                    )
                }
            }
        },
        .modify("admin_set_broker_read_or_write") { api, p throws(WebParameterError) in
            let publish = try p.bool(.acceptPublish)
            let subscribe = try p.bool(.acceptSubscribe)
            guard publish != nil || subscribe != nil else {
                throw WebParameterError("Parameter acceptPublish or acceptSubscribe is required!")
            }
            return try await api.eachBroker(p) { master, id, user throws(MasterError) in
                _ = try await master.setBrokerReadWrite(
                    id: id,
                    acceptPublish: publish,
                    acceptSubscribe: subscribe,
                    by: user
                )
            }
        },
    ]

    /// `admin_add_broker_configure`: one broker from `brokerIp` and optional settings.
    func addBroker(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        Envelope.success(objects: [await add(try BrokerAddition(p))])
    }

    /// Adds one broker and answers its per-record item.
    func add(_ addition: BrokerAddition) async -> JSONObject {
        let spec = addition.spec
        let derived = spec.id > 0 ? spec.id : (IPv4Address(spec.host)?.derivedBrokerID ?? spec.id)
        let failure = await MasterError.capture { () throws(MasterError) in
            _ = try await master.addBroker(spec, by: addition.user)
        }
        return RecordResult.broker(id: derived, ip: spec.host, failure)
    }

    /// `admin_update_broker_configure`: the given fields on every listed broker.
    func updateBroker(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let patch = try BrokerPatch(p)
        return try await eachBroker(p) { master, id, user throws(MasterError) in
            try await Self.update(master, id: id, patch, by: user)
        }
    }

    /// Applies an admin's `patch` to broker `id`, refusing (406) a port change while the broker is in
    /// service: clients are sent the recorded ports, and the broker would go on heartbeating as running
    /// while nothing listens where they are sent. (A standalone restarting on new ports updates its own
    /// records directly.)
    static func update(_ master: Master, id: Int32, _ patch: BrokerPatch, by user: String) async throws(MasterError) {
        if let config = await master.broker(id: id)?.config,
            config.manageStatus != .draft, config.manageStatus != .offline,
            [(patch.port, config.port), (patch.tlsPort, config.tlsPort), (patch.webPort, config.webPort)]
                .contains(where: { new, old in new.map { $0 != old } ?? false })
        {
            throw MasterError(
                code: .illegalStatus,
                message: "The broker \(id) is in service: offline it before changing its ports!"
            )
        }
        _ = try await master.updateBroker(id: id, patch, by: user)
    }

    /// Runs `change` for every broker of the required `brokerId` list as `modifyUser`, and answers
    /// the per-record list.
    func eachBroker(
        _ p: WebParameters,
        _ change: (Master, Int32, String) async throws(MasterError) -> Void
    ) async throws(WebParameterError) -> JSONObject {
        let ids = try p.int32List(.brokerID, required: true)
        let user = try p.modifier()
        _ = try p.bool(.isReservedData)
        var items: [JSONObject] = []
        for id in ids {
            let ip = await master.broker(id: id)?.config.host ?? ""
            let failure = await MasterError.capture { () throws(MasterError) in try await change(master, id, user) }
            items.append(RecordResult.broker(id: id, ip: ip, failure))
        }
        return Envelope.success(objects: items)
    }

    /// `admin_query_broker_configure`: broker records matching the filters, optionally with their
    /// topics.
    func queryBrokers(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let filter = try BrokerFilter(p)
        let topicNames = Set(try p.list(.topicName))
        let include = try p.bool(.isInclude) ?? true
        let withTopic = try p.bool(.withTopic) ?? false
        let topicStatus = try p.int32(.topicStatusID, range: -2...3) ?? -2
        let topics = await master.topics()
        var items: [JSONObject] = []
        for status in await master.brokers() where filter.matches(status) {
            let deployments = topics.compactMap { $0.deployment(on: status.config.id) }
                .filter { topicStatus == -2 || $0.status.rawValue == topicStatus }
            if !topicNames.isEmpty {
                let carries = deployments.contains { topicNames.contains($0.topic) }
                guard carries == include else { continue }
            }
            var item = RecordJSON.broker(status)
            if withTopic {
                item.append(
                    "topicSet",
                    .array(deployments.map { .object(RecordJSON.deployment($0, broker: status.config)) })
                )
            }
            items.append(item)
        }
        return Envelope.success(objects: items)
    }

    /// `admin_query_broker_run_status`: whether each broker is connected and what it runs.
    func brokerRunStatus(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let filter = try BrokerFilter(p)
        _ = try p.bool(.withDetail)
        var items: [JSONObject] = []
        for status in await master.brokers() where filter.matches(status) {
            let config = status.config
            let running = RecordJSON.isRunning(status)
            func flag(_ value: Bool) -> JSON { running ? .string(value ? "true" : "false") : "-" }
            var item: JSONObject = [
                "brokerId": .int(config.id), "brokerIp": .string(config.host), "brokerPort": .int(config.port),
                "brokerWebPort": .int(config.webPort), "manageStatus": .string(config.manageStatus.description),
                // The TLS port the broker registered with (its record's until it registers).
                "brokerTLSPort": .int(status.tlsPort),
                "enableTLS": status.enableTLS.map(JSON.bool) ?? "-",
                "isRepAbnormal": .bool(status.reported?.isAbnormal ?? false),
            ]
            if let reported = status.reported, reported.isAbnormal {
                // 1: writes abnormal (a topic's storage refuses them), 2: reads, 3: both.
                item.append("repStatus", .int((reported.write != 0 ? 1 : 0) + (reported.read != 0 ? 2 : 0)))
            }
            item.append(contentsOf: [
                "isAutoForbidden": false,
                "runStatus": running ? "running" : "notRegister",
                "subStatus": running ? "idle" : "-",
                "isConfChanged": flag(!status.isConfigLoaded), "isConfLoaded": flag(status.isConfigLoaded),
                "isBrokerOnline": flag(status.runState == .online),
                "acceptPublish": flag(config.manageStatus.acceptsPublish),
                "acceptSubscribe": flag(config.manageStatus.acceptsSubscribe),
                "brokerVersion": "-",
            ])
            items.append(item)
        }
        return Envelope.success(objects: items)
    }
}

/// The broker filters of the query methods: id and address lists, ports, region, group, status.
struct BrokerFilter {
    var ids: Set<Int32>
    var ips: Set<String>
    var port: Int?
    var tlsPort: Int?
    var webPort: Int?
    var regionID: Int32?
    var groupID: Int32?
    var manageStatus: BrokerManageStatus?

    init(_ p: WebParameters) throws(WebParameterError) {
        ids = Set(try p.int32List(.brokerID))
        ips = Set(try p.list(.brokerIPList))
        port = try p.port(.brokerPort)
        tlsPort = try p.port(.brokerTLSPort)
        webPort = try p.port(.brokerWebPort)
        regionID = try p.int32(.regionID, range: 0...Int64(Int32.max))
        groupID = try p.int32(.groupID, range: 0...Int64(Int32.max))
        manageStatus = try p.manageStatus()
    }

    func matches(_ status: BrokerStatus) -> Bool {
        let config = status.config
        return (ids.isEmpty || ids.contains(config.id)) && (ips.isEmpty || ips.contains(config.host))
            && (port.map { $0 == config.port } ?? true) && (tlsPort.map { $0 == config.tlsPort } ?? true)
            && (webPort.map { $0 == config.webPort } ?? true) && (regionID.map { $0 == config.regionID } ?? true)
            && (groupID.map { $0 == config.groupID } ?? true)
            && (manageStatus.map { $0 == config.manageStatus } ?? true)
    }
}

/// What `admin_add_broker_configure` (or one item of the batch add) asks for, validated.
struct BrokerAddition {
    var spec: BrokerSpec
    var user: String

    init(_ p: WebParameters) throws(WebParameterError) {
        let ip = try p.requiredString(.brokerIP)
        user = try p.creator()
        spec = BrokerSpec(
            id: try p.int32(.brokerID) ?? 0,
            host: ip,
            port: try p.port(.brokerPort),
            tlsPort: try p.port(.brokerTLSPort),
            webPort: try p.port(.brokerWebPort),
            regionID: try p.int32(.regionID, range: 0...Int64(Int32.max)) ?? 0,
            groupID: try p.int32(.groupID, range: 0...Int64(Int32.max)) ?? 0,
            manageStatus: try p.manageStatus() ?? .draft,
            settings: try p.topicProperties()
        )
    }
}

extension BrokerPatch {
    /// The fields of `admin_update_broker_configure` that are given.
    init(_ p: WebParameters) throws(WebParameterError) {
        self.init(
            port: try p.port(.brokerPort),
            tlsPort: try p.port(.brokerTLSPort),
            webPort: try p.port(.brokerWebPort),
            regionID: try p.int32(.regionID, range: 0...Int64(Int32.max)),
            groupID: try p.int32(.groupID, range: 0...Int64(Int32.max)),
            manageStatus: try p.manageStatus(),
            settings: try p.topicProperties()
        )
    }
}
