public import TubeMQCore
public import TubeMQMasterState

/// Broker administration (`admin_*_broker_configure`), for the webapi.
///
/// Every call is applied at once, persisted before it returns, and answered with the broker's
/// record and run state as they were right after the change.
extension Master {
    /// Adds a broker record (`admin_add_broker_configure`); new brokers are drafts unless
    /// `spec.manageStatus` says otherwise.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 400 (bad address), 402 (duplicate id or address),
    ///   407 (bad port or setting), 501 (store failed; applied), 510 (stopped).
    @discardableResult
    public func addBroker(_ spec: BrokerSpec, by user: String) async throws(MasterError) -> BrokerStatus {
        try await administer { (state, now) throws(MasterError) in
            try state.addBroker(spec, by: user, now: now)
        } result: { (state, directives) throws(MasterError) in
            try Self.status(of: directives.storedBroker?.id, in: state)
        }
    }

    /// Changes a broker record (`admin_update_broker_configure`); the broker takes its new
    /// configuration with its next heartbeat.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 401 (no such broker), 407 (bad value), 501, 510.
    @discardableResult
    public func updateBroker(id: Int32, _ patch: BrokerPatch, by user: String) async throws(MasterError) -> BrokerStatus
    {
        try await administer { (state, now) throws(MasterError) in
            try state.updateBroker(id: id, patch, by: user, now: now)
        } result: { (state, _) throws(MasterError) in
            try Self.status(of: id, in: state)
        }
    }

    /// Sets a broker's management status (`admin_online_broker_configure` with `.online`,
    /// `admin_offline_broker_configure` with `.offline`).
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 401 (no such broker), 501, 510.
    @discardableResult
    public func setBrokerManageStatus(
        id: Int32,
        _ status: BrokerManageStatus,
        by user: String
    ) async throws(MasterError) -> BrokerStatus {
        try await administer { (state, now) throws(MasterError) in
            try state.setBrokerManageStatus(id: id, status, by: user, now: now)
        } result: { (state, _) throws(MasterError) in
            try Self.status(of: id, in: state)
        }
    }

    /// Puts a broker in service (`admin_online_broker_configure`).
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 401 (no such broker), 501, 510.
    @discardableResult
    public func onlineBroker(id: Int32, by user: String) async throws(MasterError) -> BrokerStatus {
        try await setBrokerManageStatus(id: id, .online, by: user)
    }

    /// Takes a broker out of service (`admin_offline_broker_configure`).
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 401 (no such broker), 501, 510.
    @discardableResult
    public func offlineBroker(id: Int32, by user: String) async throws(MasterError) -> BrokerStatus {
        try await setBrokerManageStatus(id: id, .offline, by: user)
    }

    /// Enables or disables publishing and/or consuming on a broker
    /// (`admin_set_broker_read_or_write`); a `nil` flag keeps its value.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 400 (both flags `nil`), 401 (no such broker),
    ///   405 (still a draft), 501, 510.
    @discardableResult
    public func setBrokerReadWrite(
        id: Int32,
        acceptPublish: Bool?,
        acceptSubscribe: Bool?,
        by user: String
    ) async throws(MasterError) -> BrokerStatus {
        try await administer { (state, now) throws(MasterError) in
            try state.setBrokerReadWrite(
                id: id,
                acceptPublish: acceptPublish,
                acceptSubscribe: acceptSubscribe,
                by: user,
                now: now
            )
        } result: { (state, _) throws(MasterError) in
            try Self.status(of: id, in: state)
        }
    }

    /// Deletes a broker record (`admin_delete_broker_configure`); it must be a draft or offline and
    /// carry no topics.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 401 (no such broker), 404 (topics still deployed),
    ///   405 (not draft or offline), 501, 510.
    public func deleteBroker(id: Int32, by user: String) async throws(MasterError) {
        try await administer { (state, now) throws(MasterError) in
            try state.deleteBroker(id: id, by: user, now: now)
        } result: { _, _ in
            ()
        }
    }

    /// Every broker with its run state, sorted by id (`admin_query_broker_configure`,
    /// `admin_query_broker_run_status`).
    public func brokers() -> [BrokerStatus] { state.brokers }

    /// One broker with its run state, or `nil`.
    public func broker(id: Int32) -> BrokerStatus? { state.broker(id: id) }

    /// The brokers clients are told about, sorted by id, and their checksum (`brokerCheckSum`).
    public func servingBrokers() -> (brokers: [BrokerInfo], checksum: Int64) {
        (state.servingBrokers, state.brokerChecksum)
    }

    static func status(of id: Int32?, in state: MasterState) throws(MasterError) -> BrokerStatus {
        guard let id, let status = state.broker(id: id) else {
            throw MasterError(code: .recordNotFound, message: "Broker \(id.map(String.init) ?? "?") does not exist!")
        }
        return status
    }
}
