import Logging
import TubeMQCore
import TubeMQRPC
import TubeMQWire

/// Taking and giving up partitions at their brokers (method 15, op 31 and 32) and broker heartbeats (16).
extension ConsumerSession {
    /// Registers `partitions` with their brokers (in parallel) and starts fetching those that succeeded.
    ///
    /// A partition its broker still gives to the previous holder after a few tries (410: that consumer
    /// has not unregistered, or crashed and the broker has not timed it out yet) is held all the same,
    /// as the master assigned it: its fetch task keeps registering it until the broker lets go.
    func connect(_ partitions: [Partition]) async {
        let wanted = partitions.filter { held[$0.key] == nil && configuration.topics[$0.topic] != nil }
        let requests = wanted.map { ($0, registerRequest(for: $0)) }
        let results = await withTaskGroup(of: (Partition, RegisterRequestC2B, Registration).self) { group in
            for (partition, request) in requests {
                group.addTask { (partition, request, await self.register(request, at: partition, attempts: 5)) }
            }
            var results: [(Partition, RegisterRequestC2B, Registration)] = []
            for await result in group { results.append(result) }
            return results
        }
        for (partition, request, registration) in results {
            switch registration {
            case .registered:
                registered(partition, by: request)
                startFetching(partition)
            case .occupied:
                logger.info(
                    "the broker has not given the partition yet; registering it in the background",
                    metadata: ["tubemq.partition": "\(partition)"]
                )
                awaitingRegistration.insert(partition.key)
                startFetching(partition)
            case .refused:
                continue
            }
        }
    }

    /// Notes a successful registration made with `request`.
    private func registered(_ partition: Partition, by request: RegisterRequestC2B) {
        registeredBefore.insert(partition.key)
        awaitingRegistration.remove(partition.key)
        if request.hasCurrOffset { boundOffsetsApplied.insert(partition.key) }
    }

    /// Registers a held partition whose broker still had the previous holder, trying every
    /// ``occupiedRetry`` until the broker lets go (at the latest its consumer timeout after that holder
    /// went silent); `false` once the partition is given up or the broker refuses it otherwise.
    func registerWhenFree(_ partition: Partition) async -> Bool {
        // Cancelled: the partition was given up (and may be held again by a later event meanwhile).
        while lifecycle == .running, !Task.isCancelled, awaitingRegistration.contains(partition.key) {
            let request = registerRequest(for: partition)
            switch await register(request, at: partition, attempts: 1) {
            case .registered:
                // Registered even if given up meanwhile: the fetch task then ends at once and is unregistered.
                if !Task.isCancelled { registered(partition, by: request) }
                return true
            case .occupied:
                do { try await Task.sleep(for: Self.occupiedRetry) } catch { return false }
            case .refused:
                guard !Task.isCancelled else { return false }
                // Given up, as a refusal at assignment is: the next report to the master leaves it out.
                awaitingRegistration.remove(partition.key)
                held.removeValue(forKey: partition.key)?.handle.stop()
                return false
            }
        }
        // Stopping, cancelled, or no longer awaited: only a disconnect clears it, and that cancels this task.
        return false
    }

    /// The pause between registrations of a partition its broker still gives to the previous holder.
    static let occupiedRetry: Duration = .seconds(1)

    /// Stops fetching `partitions`, gives back batches not yet handed out, waits up to `grace` (or not at
    /// all when `nil`) for batches in the application's hands, and unregisters each partition with
    /// readStatus 0 when its last batch was confirmed, 1 otherwise.
    func disconnect(_ partitions: [Partition], grace: Duration?) async {
        var stopping: [Held] = []
        for partition in partitions {
            guard let entry = held.removeValue(forKey: partition.key) else { continue }
            awaitingRegistration.remove(partition.key)
            entry.handle.stop()
            entry.fetch.cancel()
            withdrawQueued(entry.handle)
            stopping.append(entry)
        }
        guard !stopping.isEmpty else { return }
        let handles = stopping.map(\.handle)
        let timer: Task<Void, Never>
        if let grace {
            timer = Task {
                try? await Task.sleep(for: grace)
                guard !Task.isCancelled else { return }
                for handle in handles { handle.releaseOpenBatch() }
            }
        } else {
            for handle in handles { handle.releaseOpenBatch() }
            timer = Task {}
        }
        await withTaskGroup(of: Void.self) { group in
            for entry in stopping {
                group.addTask {
                    // nil: never registered at the broker (it still had the previous holder).
                    guard let readStatus = await entry.fetch.value else { return }
                    await self.unregister(entry.handle.partition, readStatus: readStatus)
                }
            }
        }
        timer.cancel()
    }

    /// Registers a held partition again after the broker forgot the consumer (411).
    func reregister(_ partition: Partition) async -> Bool {
        guard lifecycle == .running, held[partition.key] != nil, !awaitingRegistration.contains(partition.key) else {
            return false
        }
        return await register(registerRequest(for: partition), at: partition, attempts: 1) == .registered
    }

    private func startFetching(_ partition: Partition) {
        let handle = PartitionHandle(partition: partition)
        var logger = self.logger
        logger[metadataKey: "tubemq.partition"] = "\(partition)"
        let fetcher = PartitionFetcher(
            handle: handle,
            clientID: clientID,
            group: configuration.group,
            rpc: rpc,
            rpcTimeout: configuration.rpcTimeout,
            minimumBackoff: configuration.minimumFetchBackoff,
            maximumBackoff: configuration.maximumFetchBackoff,
            fetchWait: configuration.fetchWait,
            maxFetchCount: configuration.maxFetchCount,
            messageOffsets: configuration.messageOffsets,
            budget: budget,
            confirmTimeout: kind == .pull ? configuration.confirmTimeout : nil,
            logger: logger,
            deliver: { [weak self] batch in await self?.deliver(batch) ?? false },
            reregister: { [weak self] partition in await self?.reregister(partition) ?? false },
            flow: flow,
            filtered: !(configuration.topics[partition.topic] ?? []).isEmpty
        )
        let awaiting = awaitingRegistration.contains(partition.key)
        held[partition.key] = Held(
            handle: handle,
            fetch: Task(executorPreference: executor) {
                if awaiting, await !self.registerWhenFree(partition) { return nil }
                return await fetcher.run()
            }
        )
    }

    /// The register request for `partition`: the configured start position on its first registration by
    /// this consumer, 0 later; bound-consume offsets until they have been applied once.
    private func registerRequest(for partition: Partition) -> RegisterRequestC2B {
        var request = RegisterRequestC2B()
        request.opType = 31
        request.clientID = clientID
        request.groupName = configuration.group
        request.topicName = partition.topic
        request.partitionID = partition.id
        let first = !registeredBefore.contains(partition.key)
        request.readStatus = readStatusOverride ?? (first ? configuration.startPosition.readStatus : 0)
        if first, readStatusOverride == nil, let startTime = configuration.startPosition.startTime {
            request.startTime = startTime
        }
        request.filterCondStr = (configuration.topics[partition.topic] ?? []).sorted()
        if let bound = configuration.boundConsume {
            if !groupAllocated, !boundOffsetsApplied.contains(partition.key), let offset = bound.offsets[partition.key]
            {
                request.currOffset = offset
            }
        }
        request.qryPriorityID = -2
        if let auth = authInfo { request.authInfo = auth }
        return request
    }

    /// The visit token for brokers, as the Java client sends it.
    var authInfo: AuthorizedInfo? {
        visitToken.map { token in
            var info = AuthorizedInfo()
            info.visitAuthorizedToken = token
            if let authToken = authenticator.brokerToken { info.authAuthorizedToken = authToken }
            return info
        }
    }

    /// How a registration at a broker ended.
    enum Registration {
        /// The broker gave the partition to this consumer.
        case registered
        /// The broker still gives it to another consumer of the group (410), or could not be asked.
        case occupied
        /// The broker refused it for another reason.
        case refused
    }

    /// Sends a register request; a partition still held by its previous owner (410) is tried again
    /// with a growing pause, up to `attempts` times.
    private nonisolated func register(
        _ request: RegisterRequestC2B,
        at partition: Partition,
        attempts: Int
    ) async -> Registration {
        // The previous holder's registration lasts until it unregisters or times out: start at 200 ms.
        var pause = max(configuration.minimumFetchBackoff, .milliseconds(200))
        for attempt in 1...max(1, attempts) {
            do {
                let reply: RegisterResponseB2C = try await rpc.call(
                    .consumerRegisterToBroker,
                    request,
                    host: partition.broker.host,
                    port: partition.broker.port
                )
                if reply.success { return .registered }
                logger.info(
                    "broker refused the partition",
                    metadata: [
                        "tubemq.partition": "\(partition)", "tubemq.errCode": "\(reply.errCode)",
                        "tubemq.errMsg": "\(reply.errMsg)",
                    ]
                )
                guard reply.errCode == ErrorCode.partitionOccupied.rawValue else { return .refused }
            } catch {
                logger.info(
                    "registering the partition failed",
                    metadata: ["tubemq.partition": "\(partition)", "tubemq.error": "\(error)"]
                )
            }
            guard attempt < attempts else { break }
            do { try await Task.sleep(for: pause) } catch { return .refused }
            pause = min(pause * 2, max(configuration.maximumFetchBackoff, .seconds(1)))
        }
        return .occupied
    }

    private func unregister(_ partition: Partition, readStatus: Int32) async {
        var request = RegisterRequestC2B()
        request.opType = 32
        request.clientID = clientID
        request.groupName = configuration.group
        request.topicName = partition.topic
        request.partitionID = partition.id
        request.readStatus = readStatus
        if let auth = authInfo { request.authInfo = auth }
        do {
            let reply: RegisterResponseB2C = try await rpc.call(
                .consumerRegisterToBroker,
                request,
                host: partition.broker.host,
                port: partition.broker.port
            )
            if !reply.success {
                logger.info(
                    "broker refused the unregister",
                    metadata: [
                        "tubemq.partition": "\(partition)", "tubemq.errCode": "\(reply.errCode)",
                        "tubemq.errMsg": "\(reply.errMsg)",
                    ]
                )
            }
        } catch {
            logger.info(
                "unregistering the partition failed",
                metadata: ["tubemq.partition": "\(partition)", "tubemq.error": "\(error)"]
            )
        }
    }

    /// One heartbeat to every broker the consumer holds partitions on; partitions a broker reports as
    /// unknown (411) are registered again.
    func heartbeatBrokers() async {
        guard lifecycle == .running else { return }
        let registered = heldPartitions.filter { !awaitingRegistration.contains($0.key) }
        let byBroker = Dictionary(grouping: registered, by: \.broker)
        var requests: [(BrokerInfo, HeartBeatRequestC2B)] = []
        for (broker, partitions) in byBroker {
            var request = HeartBeatRequestC2B()
            request.clientID = clientID
            request.groupName = configuration.group
            request.readStatus = 0
            request.partitionInfo = partitions.map(MetadataStrings.partitionInfo)
            request.qryPriorityID = -2
            if let auth = authInfo { request.authInfo = auth }
            requests.append((broker, request))
        }
        let failures = await withTaskGroup(of: [String].self) { group in
            for (broker, request) in requests {
                group.addTask {
                    do {
                        let reply: HeartBeatResponseB2C = try await self.rpc.call(
                            .consumerHeartbeatToBroker,
                            request,
                            host: broker.host,
                            port: broker.port
                        )
                        return reply.hasPartFailure_p ? reply.failureInfo : []
                    } catch {
                        self.logger.info(
                            "broker heartbeat failed",
                            metadata: ["tubemq.broker": "\(broker)", "tubemq.error": "\(error)"]
                        )
                        return []
                    }
                }
            }
            var failures: [String] = []
            for await reported in group { failures += reported }
            return failures
        }
        for failure in failures {
            guard let colon = failure.firstIndex(of: ":"),
                let partition = MetadataStrings.parsePartitionInfo(String(failure[failure.index(after: colon)...]))
            else { continue }
            let code = Int32(failure[..<colon]) ?? 0
            logger.info(
                "broker reports a partition failure",
                metadata: ["tubemq.partition": "\(partition)", "tubemq.errCode": "\(code)"]
            )
            if code == ErrorCode.heartbeatNoNode.rawValue, let current = held[partition.key]?.handle.partition {
                _ = await reregister(current)
            }
        }
    }
}
