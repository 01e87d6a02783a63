public import Logging
public import TubeMQStorage
import TubeMQZooKeeper

/// Mirrors the broker's committed group offsets to ZooKeeper every `zkCommitPeriodMs`, in TubeMQ's
/// layout (``ZooKeeperOffsetLayout``), and reads them back for the offset webapi.
///
/// The broker's own offset store stays the source of truth: a ZooKeeper outage delays the mirror
/// (changed offsets are written once it is back, a new session is opened after an expiry) and
/// never a consumer's commit. Only offsets that changed since the last successful write are written;
/// offsets removed from the store (a group's offsets deleted) are deleted from ZooKeeper.
public actor ZooKeeperOffsetMirror {
    /// The settings.
    public let settings: ZooKeeperOffsetSettings
    /// The node layout.
    public let layout: ZooKeeperOffsetLayout
    private let brokerID: Int32
    private let offsets: OffsetStore
    private let logger: Logger
    private var client: ZooKeeperClient?
    private var written: [OffsetStore.Key: Int64] = [:]
    private var loop: Task<Void, Never>?
    private var isClosed = false
    private var isFinished = false
    /// Periodic commits failed in a row, and when such a failure was last logged at warning.
    private var failedCommits = 0
    private var lastFailureLogged: ContinuousClock.Instant?

    private init(settings: ZooKeeperOffsetSettings, brokerID: Int32, offsets: OffsetStore, logger: Logger) {
        self.settings = settings
        self.layout = ZooKeeperOffsetLayout(nodeRoot: settings.nodeRoot)
        self.brokerID = brokerID
        self.offsets = offsets
        self.logger = logger
    }

    /// Connects to ZooKeeper and starts the periodic commit.
    ///
    /// - Throws: ``ZooKeeperOffsetError`` naming `zkServerAddr` when no member answers after a few
    ///   attempts with growing pauses.
    public static func start(
        settings: ZooKeeperOffsetSettings,
        brokerID: Int32,
        offsets: OffsetStore,
        logger: Logger
    ) async throws(ZooKeeperOffsetError) -> ZooKeeperOffsetMirror {
        let mirror = ZooKeeperOffsetMirror(settings: settings, brokerID: brokerID, offsets: offsets, logger: logger)
        try await mirror.connect(attempts: 3)
        try await mirror.checkChroot()
        await mirror.startLoop()
        logger.info(
            "committing offsets to ZooKeeper",
            metadata: [
                "tubemq.zookeeper": "\(settings.serverAddress)",
                "tubemq.path": "\(mirror.layout.consumersDirectory)", "tubemq.periodMs": "\(settings.commitPeriodMs)",
            ]
        )
        return mirror
    }

    /// `group`'s offset of a partition of this broker as stored in ZooKeeper, or `nil` if none is.
    ///
    /// - Throws: ``ZooKeeperOffsetError`` when ZooKeeper cannot be read or the node's data is not
    ///   `<messageId>-<offset>` (the error names the node).
    public func offset(group: String, topic: String, partitionID: Int32) async throws(ZooKeeperOffsetError) -> Int64? {
        let path = layout.offsetNode(group: group, topic: topic, brokerID: brokerID, partitionID: partitionID)
        let client = try await session()
        let node: NodeData
        do {
            node = try await client.getData(path)
        } catch  where error.code == .noNode {
            return nil
        } catch {
            throw ZooKeeperOffsetError("cannot read \(path) from ZooKeeper", underlying: error)
        }
        guard let offset = ZooKeeperOffsetLayout.decodeOffset(node.data) else {
            let text = String(decoding: node.data.prefix(64), as: UTF8.self)
            throw ZooKeeperOffsetError("\(path) holds \"\(text)\", not <messageId>-<offset>")
        }
        return offset
    }

    /// Writes every committed offset that changed since the last successful write.
    ///
    /// - Returns: how many nodes were written or deleted.
    /// - Throws: ``ZooKeeperOffsetError`` for the first write that failed (the ones after it wait
    ///   for the next call).
    @discardableResult
    public func commitChanged() async throws(ZooKeeperOffsetError) -> Int {
        let current = await offsets.allCommittedOffsets()
        var changes = 0
        let client = try await session()
        for (key, offset) in current.sorted(by: { $0.key.description < $1.key.description })
        where written[key] != offset {
            try await write(client, key: key, offset: offset)
            written[key] = offset
            changes += 1
        }
        for key in written.keys.sorted(by: { $0.description < $1.description }) where current[key] == nil {
            let path = path(key)
            do {
                try await client.delete(path)
            } catch  where error.code == .noNode {
            } catch {
                throw failure("cannot delete \(path) in ZooKeeper", error)
            }
            written[key] = nil
            changes += 1
        }
        return changes
    }

    /// Stops the periodic commit, writes what changed (retrying `zkCommitFailRetries` times, with
    /// `zkSyncTimeMs` pauses) and ends the session.
    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        loop?.cancel()
        await loop?.value
        for attempt in 0...max(settings.commitFailRetries, 0) {
            do {
                try await commitChanged()
                break
            } catch {
                logger.warning(
                    "final offset commit to ZooKeeper failed",
                    metadata: ["tubemq.error": "\(error)", "tubemq.attempt": "\(attempt + 1)"]
                )
                if attempt == settings.commitFailRetries { break }
                try? await Task.sleep(for: .milliseconds(settings.syncTimeMs))
            }
        }
        await client?.close()
        client = nil
        isFinished = true
    }

    // MARK: internals

    private func startLoop() {
        let period = Duration.milliseconds(max(settings.commitPeriodMs, 10))
        loop = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: period)
                guard !Task.isCancelled, let self else { return }
                await self.periodicCommit()
            }
        }
    }

    private func periodicCommit() async {
        do {
            try await commitChanged()
            if failedCommits > 0 {
                logger.notice(
                    "offset commits to ZooKeeper work again",
                    metadata: ["tubemq.failedCommits": "\(failedCommits)"]
                )
                failedCommits = 0
            }
        } catch {
            // A ZooKeeper outage fails every period: said at the first failure and then every 30 s.
            failedCommits += 1
            let now = ContinuousClock.now
            let loud = failedCommits == 1 || lastFailureLogged.map { now - $0 >= .seconds(30) } ?? true
            if loud { lastFailureLogged = now }
            logger.log(
                level: loud ? .warning : .debug,
                "offset commit to ZooKeeper failed; retried next period",
                metadata: ["tubemq.error": "\(error)", "tubemq.failedCommits": "\(failedCommits)"]
            )
        }
    }

    private func path(_ key: OffsetStore.Key) -> String {
        layout.offsetNode(group: key.group, topic: key.topic, brokerID: brokerID, partitionID: key.partitionID)
    }

    /// `ZKUtil.updatePersistentPath`: set the data, creating the node and its parents if missing.
    private func write(
        _ client: ZooKeeperClient,
        key: OffsetStore.Key,
        offset: Int64
    ) async throws(ZooKeeperOffsetError) {
        let path = path(key)
        let data = ZooKeeperOffsetLayout.encode(offset: offset)
        do {
            _ = try await client.setData(path, data: data)
            return
        } catch  where error.code == .noNode {
        } catch {
            throw failure("cannot write \(path) in ZooKeeper", error)
        }
        var parent = ""
        for component in path.split(separator: "/").dropLast() {
            parent += "/" + component
            do {
                try await client.create(parent)
            } catch  where error.code == .nodeExists {
            } catch {
                throw failure("cannot create \(parent) in ZooKeeper", error)
            }
        }
        do {
            try await client.create(path, data: data)
        } catch  where error.code == .nodeExists {
            do {
                _ = try await client.setData(path, data: data)
            } catch {
                throw failure("cannot write \(path) in ZooKeeper", error)
            }
        } catch {
            throw failure("cannot create \(path) in ZooKeeper", error)
        }
    }

    /// The error for a failed call; a session that expired or closed is dropped, so the next call
    /// opens a new one.
    private func failure(_ message: String, _ error: ZooKeeperError) -> ZooKeeperOffsetError {
        if error.code == .sessionExpired || error.code == .closed {
            let stale = client
            client = nil
            Task { await stale?.close() }
        }
        return ZooKeeperOffsetError(message, underlying: error)
    }

    private func session() async throws(ZooKeeperOffsetError) -> ZooKeeperClient {
        if let client { return client }
        guard !isFinished else { throw ZooKeeperOffsetError("the ZooKeeper offset mirror is closed") }
        try await connect(attempts: 1)
        guard let client else { throw ZooKeeperOffsetError("no ZooKeeper session") }
        return client
    }

    /// Fails when `zkServerAddr` names a chroot ZooKeeper does not have (every commit would fail).
    private func checkChroot() async throws(ZooKeeperOffsetError) {
        guard let client else { return }
        let exists: Bool
        do {
            exists = try await client.chrootExists()
        } catch {
            throw ZooKeeperOffsetError(
                "cannot read ZooKeeper at \(settings.serverAddress) (zkServerAddr)",
                underlying: error
            )
        }
        guard exists else {
            self.client = nil
            await client.close()
            throw ZooKeeperOffsetError(
                ZooKeeperClient.missingChrootAdvice(client.connectString.chroot ?? "", key: "zkServerAddr")
            )
        }
    }

    private func connect(attempts: Int) async throws(ZooKeeperOffsetError) {
        var pause = Duration.milliseconds(200)
        var lastError: ZooKeeperError?
        for attempt in 1...max(attempts, 1) {
            do {
                client = try await ZooKeeperClient.connect(
                    to: settings.serverAddress,
                    sessionTimeout: .milliseconds(settings.sessionTimeoutMs),
                    configuration: .init(connectAttempts: 2, initialBackoff: .milliseconds(100)),
                    logger: logger
                )
                return
            } catch {
                lastError = error
                if attempt < attempts {
                    try? await Task.sleep(for: pause)
                    pause = min(pause * 2, .seconds(5))
                }
            }
        }
        throw ZooKeeperOffsetError(
            "cannot reach ZooKeeper at \(settings.serverAddress) (zkServerAddr) to commit offsets",
            underlying: lastError
        )
    }
}
