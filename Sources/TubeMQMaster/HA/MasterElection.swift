import Foundation
import Logging
import TubeMQCore
import TubeMQMasterState
import TubeMQZooKeeper

/// The election of the active master among the masters sharing a ZooKeeper root
/// (zookeeper.md §8.1, §8.3), run as one task per master.
///
/// Each session makes one ephemeral sequential znode `<root>/master-election/m_<guid>_NNNNNNNNNN`
/// holding `host:port:webPort`. The lowest sequence number is the active master; every other one
/// watches its predecessor (and the lowest, to know where the active one is) and re-checks when
/// either goes. The active master runs a fresh ``Master`` restored from the ZooKeeper store, whose
/// writes are fenced by its election znode. On `disconnected` it steps down at once (the session may
/// be gone); on reconnection to the same session it takes the role again if its znode is still the
/// lowest. On `expired` it opens a new session and a new candidate znode.
actor MasterElection {
    let settings: HAMasterServer.ZooKeeperSettings
    let address: MasterRole.Address
    let role: MasterRole
    let timings: MasterTimings
    let clock: any WallClock
    /// The permission checks: their consumer-group grants live in ZooKeeper while this master leads.
    let security: MasterSecurity
    let logger: Logger
    private(set) var client: ZooKeeperClient?
    private(set) var store: ZooKeeperMetadataStore?
    private(set) var candidate: String?
    /// While this master leads: where a transfer request goes.
    private var transferRequests: AsyncStream<Void>.Continuation?

    init(
        settings: HAMasterServer.ZooKeeperSettings,
        address: MasterRole.Address,
        role: MasterRole,
        timings: MasterTimings,
        clock: any WallClock,
        security: MasterSecurity,
        logger: Logger
    ) {
        self.settings = settings
        self.address = address
        self.role = role
        self.timings = timings
        self.clock = clock
        self.security = security
        self.logger = logger
        security.becomeStandby()
    }

    var electionPath: String { (settings.nodeRoot == "/" ? "" : settings.nodeRoot) + "/master-election" }

    /// Opens the first session: ``HAMasterServer/ZooKeeperSettings/startAttempts`` tries with doubling
    /// pauses, or as many as fit in ``HAMasterServer/ZooKeeperSettings/startTimeout`` when it is set.
    ///
    /// - Throws: ``HAMasterError`` naming the connect string when no member answers.
    func connectFirst() async throws(HAMasterError) {
        let fresh = try await connect(
            attempts: settings.startAttempts,
            until: settings.startTimeout.map { ContinuousClock.now + $0 }
        )
        // A missing chroot fails every call with noNode: the election would retry forever.
        let exists: Bool
        do {
            exists = try await fresh.chrootExists()
        } catch {
            await fresh.close()
            throw HAMasterError("cannot read ZooKeeper at \(settings.connectString): \(error)")
        }
        guard exists else {
            await fresh.close()
            throw HAMasterError(
                ZooKeeperClient.missingChrootAdvice(fresh.connectString.chroot ?? "", key: "zkServerAddr")
            )
        }
        client = fresh
    }

    private func connect(
        attempts: Int,
        until deadline: ContinuousClock.Instant? = nil
    ) async throws(HAMasterError) -> ZooKeeperClient {
        var pause = Duration.milliseconds(200)
        var lastError: ZooKeeperError?
        let started = ContinuousClock.now
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            do {
                return try await ZooKeeperClient.connect(
                    to: settings.connectString,
                    sessionTimeout: .milliseconds(settings.sessionTimeoutMs),
                    configuration: .init(
                        connectAttempts: 2,
                        initialBackoff: .milliseconds(100),
                        // A server that takes the connection and never answers the handshake (a hung
                        // JVM, another service on the port) costs each try at most this, not the
                        // session timeout (63 s to give up at start with a 12 s timeout).
                        connectTimeout: .milliseconds(min(Int64(settings.sessionTimeoutMs), 3_000)),
                        authentications: settings.authentication.map { [$0] } ?? []
                    ),
                    logger: logger
                )
            } catch {
                lastError = error
                // At start every attempt is worth a line; during an outage of a running master (tries
                // every 5 s without end) the first and then every sixth.
                logger.log(
                    level: attempts != Int.max || attempt % 6 == 1 ? .warning : .debug,
                    "ZooKeeper unreachable",
                    metadata: ["tubemq.zookeeper": "\(settings.connectString)", "tubemq.attempt": "\(attempt)"]
                )
                var wait = pause
                if let deadline {
                    // Until the deadline, with one last try at it.
                    let left = deadline - ContinuousClock.now
                    guard left > .zero else { break }
                    wait = min(pause, left)
                } else {
                    guard attempt < max(attempts, 1) else { break }
                }
                try? await Task.sleep(for: wait)
                pause = min(pause * 2, .seconds(5))
            }
        }
        let seconds = (ContinuousClock.now - started).components.seconds
        throw HAMasterError(
            "ZooKeeper at \(settings.connectString) is unreachable after \(attempt) attempts in \(seconds) s"
                + (lastError.map { ": \($0)" } ?? "")
        )
    }

    /// Runs the election until the task is cancelled; then steps down and closes the session.
    func run() async {
        role.setElectionHooks(
            MasterRole.ElectionHooks(
                transfer: { [weak self] in await self?.requestTransfer() ?? false },
                members: { [weak self] in await self?.members() }
            )
        )
        while !Task.isCancelled {
            do {
                let client = try await currentClient()
                try await campaign(client)
            } catch {
                await stepDown()
                if Task.isCancelled { break }
                logger.warning("master election restarts", metadata: ["tubemq.error": "\(error)"])
                if let client, client.state.isFinal {
                    self.client = nil
                    candidate = nil
                }
                try? await Task.sleep(for: .milliseconds(300))
            }
        }
        await stepDown()
        await client?.close()
        client = nil
    }

    private func currentClient() async throws(HAMasterError) -> ZooKeeperClient {
        if let client, !client.state.isFinal { return client }
        let fresh = try await connect(attempts: Int.max)
        client = fresh
        candidate = nil
        return fresh
    }

    /// One session's part of the election; returns or throws when the session is lost.
    private func campaign(_ client: ZooKeeperClient) async throws {
        try await ZooKeeperMetadataStore(client: client, root: settings.nodeRoot).ensureLayout()
        do {
            try await client.create(electionPath)
        } catch {
            guard error.code == .nodeExists else { throw error }
        }
        while !Task.isCancelled {
            // A new candidate znode after a transfer (which leaves the queue), the same one otherwise.
            let me = try await ensureCandidate(client)
            let children = try await client.getChildren(electionPath).names.sorted { $0.suffix(10) < $1.suffix(10) }
            guard let index = children.firstIndex(of: me) else {
                candidate = nil
                throw HAMasterError("the election znode \(electionPath)/\(me) is gone")
            }
            if index == 0 {
                try await lead(client, me: electionPath + "/" + me)
            } else {
                try await follow(client, lowest: children[0], predecessor: children[index - 1])
            }
        }
    }

    /// This session's candidate znode name, created once per session.
    private func ensureCandidate(_ client: ZooKeeperClient) async throws -> String {
        if let candidate { return candidate }
        let prefix = "m_\(UUID().uuidString.prefix(8).lowercased())_"
        let path = try await client.create(
            electionPath + "/" + prefix,
            data: Array(address.description.utf8),
            mode: .ephemeralSequential
        )
        let name = String(path.split(separator: "/").last ?? "")
        candidate = name
        logger.info("master candidate", metadata: ["tubemq.znode": "\(path)"])
        return name
    }

    /// Acts as the active master until the session is no longer connected.
    private func lead(_ client: ZooKeeperClient, me: String) async throws {
        let started = ContinuousClock.now
        // A store per term: it is closed when the master steps down.
        let store = ZooKeeperMetadataStore(client: client, root: settings.nodeRoot, fence: me)
        self.store = store
        // The group's consumer-group grants and users (seeded from this master's files if the group
        // has none yet). A master that cannot read them (no access: another zkAuthDigest) must not
        // hold the queue: it leaves it for the next candidate and joins again at the end.
        do throws(UserDirectoryError) {
            try await security.useReplicas(
                client: client,
                root: settings.nodeRoot,
                fence: me,
                acl: settings.securityACL
            )
        } catch {
            logger.error(
                "cannot take the active role: the group's grants and users are not readable",
                metadata: ["tubemq.error": "\(error)"]
            )
            security.becomeStandby()
            try await client.delete(me)
            candidate = nil
            try await Task.sleep(for: .seconds(1))
            return
        }
        let master = try await Master(configuration: timings, clock: clock, store: store, logger: logger)
        role.activate(master, address: address, isFresh: { client.isFresh })
        logger.notice(
            "this master is now the active one",
            metadata: ["tubemq.znode": "\(me)", "tubemq.takeoverMs": "\((ContinuousClock.now - started).milliseconds)"]
        )
        // Until the session is no longer connected, or a transfer is asked for.
        let (transfers, continuation) = AsyncStream.makeStream(of: Void.self)
        transferRequests = continuation
        let transferred = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in client.sessionEvents.filter({ $0 != .connected }) { break }
                return false
            }
            group.addTask {
                for await _ in transfers { return true }
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        continuation.finish()
        transferRequests = nil
        if transferred {
            // Hand over: step down, then leave the queue; the next candidate takes over, and this
            // master joins again at the end (its next campaign creates a new candidate znode).
            logger.notice("handing the active role over", metadata: ["tubemq.znode": "\(me)"])
            await stepDown()
            try await client.delete(me)
            candidate = nil
            return
        }
        if Task.isCancelled {
            // The master shuts down.
            await stepDown()
            return
        }
        logger.warning("ZooKeeper session \(client.state): stepping down", metadata: ["tubemq.znode": "\(me)"])
        await stepDown()
        for await state in client.sessionEvents where state != .disconnected {
            if state == .connected { return }
            break
        }
        throw HAMasterError("ZooKeeper session ended")
    }

    /// Waits as a standby until the predecessor or the lowest candidate goes, or the metadata changes
    /// (then the caller comes back here and reloads it).
    private func follow(_ client: ZooKeeperClient, lowest: String, predecessor: String) async throws {
        let active = try? await client.getData(electionPath + "/" + lowest)
        role.setActive(active.flatMap { MasterRole.Address(String(decoding: $0.data, as: UTF8.self)) })
        let (stat, watch) = try await client.existsAndWatch(electionPath + "/" + predecessor)
        guard stat != nil else { return }
        var lowestWatch: Watch?
        if lowest != predecessor {
            let (lowestStat, watch) = try await client.existsAndWatch(electionPath + "/" + lowest)
            guard lowestStat != nil else { return }
            lowestWatch = watch
        }
        // Hot standby: the metadata stays loaded, and any change to it wakes this loop to reload it.
        var metadataWatches: [Watch] = []
        do {
            let (snapshot, watches) = try await ZooKeeperMetadataStore(client: client, root: settings.nodeRoot)
                .loadAndWatch()
            role.setStandbyMetadata(snapshot)
            metadataWatches = watches
        } catch {
            logger.warning("standby cannot load the metadata", metadata: ["tubemq.error": "\(error)"])
        }
        // Whichever watch fires first; the others stay armed until their node changes or the session ends.
        let (fired, continuation) = AsyncStream.makeStream(of: Void.self)
        for watch in [watch] + (lowestWatch.map { [$0] } ?? []) + metadataWatches {
            Task {
                _ = try? await watch.event()
                continuation.yield()
            }
        }
        for await _ in fired { break }
    }

    /// The candidates of the election in order, each with the address its znode holds; `nil` without
    /// a connected session.
    func members() async -> [MasterGroupMember]? {
        guard let client, client.state == .connected else { return nil }
        do {
            let names = try await client.getChildren(electionPath).names.sorted { $0.suffix(10) < $1.suffix(10) }
            var members: [MasterGroupMember] = []
            for (index, name) in names.enumerated() {
                // A candidate that left between the two reads is skipped.
                guard let data = try? await client.getData(electionPath + "/" + name),
                    let address = MasterRole.Address(String(decoding: data.data, as: UTF8.self))
                else { continue }
                members.append(
                    MasterGroupMember(
                        address: address,
                        isActive: index == 0,
                        isThisMaster: name == candidate,
                        joinedAt: Date(timeIntervalSince1970: Double(data.stat.ctime) / 1000)
                    )
                )
            }
            return members
        } catch {
            return nil
        }
    }

    /// Asks the leading term to hand over; `false` when this master does not lead.
    func requestTransfer() -> Bool {
        guard role.isActive, let transferRequests else { return false }
        transferRequests.yield()
        return true
    }

    /// Stops acting as the active master: the role first (calls answer StandbyException from now),
    /// then the fence (no more writes), then the master's timer.
    func stepDown() async {
        security.becomeStandby()
        guard let master = role.deactivate() else { return }
        await store?.setFence(nil)
        await master.shutdown(persistingFinalState: false)
        logger.notice("this master stepped down")
    }
}

/// A failure of the HA master: ZooKeeper unreachable, or the election lost its znode.
public struct HAMasterError: Error, Sendable, CustomStringConvertible {
    /// What happened.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
