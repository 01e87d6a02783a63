import Logging
import TubeMQCore
import TubeMQRPC
import TubeMQWire

/// Taking and giving up partitions at their brokers (method 15, op 31 and 32) and broker heartbeats (16).
extension ConsumerSession {
    /// Registers `partitions` with their brokers (in parallel) and starts fetching those that succeeded.
    func connect(_ partitions: [Partition]) async {
        let wanted = partitions.filter { held[$0.key] == nil && configuration.topics[$0.topic] != nil }
        let requests = wanted.map { ($0, registerRequest(for: $0)) }
        let results = await withTaskGroup(of: (Partition, Bool).self) { group in
            for (partition, request) in requests {
                group.addTask { (partition, await self.register(request, at: partition, attempts: 5)) }
            }
            var results: [(Partition, Bool)] = []
            for await result in group { results.append(result) }
            return results
        }
        for (partition, registered) in results where registered {
            registeredBefore.insert(partition.key)
            if requests.first(where: { $0.0 == partition })?.1.hasCurrOffset == true {
                boundOffsetsApplied.insert(partition.key)
            }
            startFetching(partition)
        }
    }

    /// Stops fetching `partitions`, gives back batches not yet handed out, waits up to `grace` (or not at
    /// all when `nil`) for batches in the application's hands, and unregisters each partition with
    /// readStatus 0 when its last batch was confirmed, 1 otherwise.
    func disconnect(_ partitions: [Partition], grace: Duration?) async {
        var stopping: [Held] = []
        for partition in partitions {
            guard let entry = held.removeValue(forKey: partition.key) else { continue }
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
                    let readStatus = await entry.fetch.value
                    await self.unregister(entry.handle.partition, readStatus: readStatus)
                }
            }
        }
        timer.cancel()
    }

    /// Registers a held partition again after the broker forgot the consumer (411).
    func reregister(_ partition: Partition) async -> Bool {
        guard lifecycle == .running, held[partition.key] != nil else { return false }
        return await register(registerRequest(for: partition), at: partition, attempts: 1)
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
            confirmTimeout: kind == .pull ? configuration.confirmTimeout : nil,
            logger: logger,
            deliver: { [weak self] batch in await self?.deliver(batch) ?? false },
            reregister: { [weak self] partition in await self?.reregister(partition) ?? false },
            flow: flow,
            filtered: !(configuration.topics[partition.topic] ?? []).isEmpty
        )
        held[partition.key] = Held(handle: handle, fetch: Task(executorPreference: executor) { await fetcher.run() })
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

    /// Sends a register request; a partition still held by its previous owner (410) is tried again
    /// with a growing pause, up to `attempts` times.
    private nonisolated func register(
        _ request: RegisterRequestC2B,
        at partition: Partition,
        attempts: Int
    ) async -> Bool {
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
                if reply.success { return true }
                logger.info(
                    "broker refused the partition",
                    metadata: [
                        "tubemq.partition": "\(partition)", "tubemq.errCode": "\(reply.errCode)",
                        "tubemq.errMsg": "\(reply.errMsg)",
                    ]
                )
                guard reply.errCode == ErrorCode.partitionOccupied.rawValue else { return false }
            } catch {
                logger.info(
                    "registering the partition failed",
                    metadata: ["tubemq.partition": "\(partition)", "tubemq.error": "\(error)"]
                )
            }
            guard attempt < attempts else { break }
            do { try await Task.sleep(for: pause) } catch { return false }
            pause = min(pause * 2, max(configuration.maximumFetchBackoff, .seconds(1)))
        }
        return false
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
        let byBroker = Dictionary(grouping: heldPartitions, by: \.broker)
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
