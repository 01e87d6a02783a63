public import Logging
import Synchronization
public import SystemPackage
import TubeMQCore

/// The broker's storage: every open topic, the shared I/O threads and backend, the consumer
/// offset store, and the periodic retention sweep.
///
/// Lifecycle calls (`openTopic`, `closeTopic`, `close`) run on this actor; the hot path
/// (``topic(_:)`` and the forwarding helpers) is `nonisolated` and goes straight to the topic's
/// instances. Call ``close()`` on shutdown: it flushes every instance and joins every flusher.
public actor MessageStore {
    /// Store-wide settings.
    public struct Configuration: Sendable {
        /// The I/O backend for flushes; ``IOBackend/uring`` falls back to POSIX when unavailable.
        public var io: IOBackend
        /// Threads running blocking file I/O, shared by every instance.
        public var ioThreads: Int
        /// The clock for append times, flush intervals and retention.
        public var clock: any StorageClock
        /// How often retention runs by itself (`logClearupDurationMs`); `nil` to run it only on demand.
        public var retentionInterval: Duration?
        /// Called by every flusher after each completed flush job (metrics); `nil` for none. It runs
        /// on the flusher's task, so it must be quick.
        public var flushObserver: (@Sendable (FlushObservation) -> Void)? = nil

        /// Creates a configuration.
        public init(
            io: IOBackend = .uring,
            ioThreads: Int = 4,
            clock: any StorageClock = SystemStorageClock(),
            retentionInterval: Duration? = .seconds(180)
        ) {
            self.io = io
            self.ioThreads = ioThreads
            self.clock = clock
            self.retentionInterval = retentionInterval
        }
    }

    /// The root directory.
    public nonisolated let directory: FilePath
    /// The committed and tentative consumer offsets.
    public nonisolated let offsets: OffsetStore
    /// The I/O backend in use (after any fallback).
    public nonisolated var ioBackend: IOBackend { environment.io.backend }

    nonisolated let environment: StorageEnvironment
    private nonisolated let topics = Mutex<[String: TopicStore]>([:])
    private var opening: [String: Task<TopicStore, any Error>] = [:]
    /// Topics being reconfigured or closed, and who waits to do so next (one change of a topic at a time).
    private var changing: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var retentionTask: Task<Void, Never>?
    private var isClosed = false

    private init(directory: FilePath, environment: StorageEnvironment, offsets: OffsetStore) {
        self.directory = directory
        self.environment = environment
        self.offsets = offsets
    }

    /// Opens the store in `directory`, creating it when missing, and starts the retention sweep.
    ///
    /// - Throws: ``StorageError/Code/fileSystem`` when the directory or offset log cannot be opened.
    public static func open(
        directory: FilePath,
        configuration: Configuration = Configuration(),
        logger: Logger
    ) async throws(StorageError) -> MessageStore {
        let io = StorageIOFactory.make(configuration.io, ringCount: configuration.ioThreads, logger: logger)
        return try await open(directory: directory, configuration: configuration, io: io, logger: logger)
    }

    /// Opens the store with an explicit I/O implementation (tests inject faults this way).
    static func open(
        directory: FilePath,
        configuration: Configuration,
        io: any StorageIO,
        logger: Logger
    ) async throws(StorageError) -> MessageStore {
        let environment = StorageEnvironment(
            io: io,
            pool: IOThreadPool(threadCount: configuration.ioThreads),
            clock: configuration.clock,
            logger: logger,
            flushObserver: configuration.flushObserver
        )
        let root = directory.string
        let offsets: OffsetStore
        do throws(StorageError) {
            try await environment.pool.run { () throws(StorageError) in
                try FileIO.makeDirectories(root + "/topics")
            }
            offsets = try await OffsetStore.open(directory: root + "/offsets", environment: environment)
        } catch {
            environment.pool.shutdown()
            io.shutdown()
            throw error
        }
        let store = MessageStore(directory: directory, environment: environment, offsets: offsets)
        if let interval = configuration.retentionInterval {
            await store.startRetention(every: interval)
        }
        return store
    }

    private func startRetention(every interval: Duration) {
        let clock = environment.clock
        let milliseconds = interval.storageMilliseconds
        retentionTask = Task { [weak self] in
            while !Task.isCancelled {
                do {
                    try await clock.sleep(milliseconds: milliseconds)
                } catch {
                    return
                }
                guard let self else { return }
                _ = await self.enforceRetention()
            }
        }
    }

    /// Opens `name` with `configuration`, recovering its instances, or returns it if already open
    /// with the same configuration.
    ///
    /// - Throws: ``StorageError/Code/invalidTopic`` for a bad name or a different configuration of an
    ///   open topic, ``StorageError/Code/invalidConfiguration``, ``StorageError/Code/closed``,
    ///   and recovery failures.
    public func openTopic(_ name: String, configuration: TopicConfiguration) async throws(StorageError) -> TopicStore {
        guard !isClosed else { throw .closed("message store") }
        try TopicName.validate(name)
        try configuration.validate()
        if let existing = topic(name) {
            guard existing.configuration == configuration else {
                throw StorageError(code: .invalidTopic, message: "topic \(name) is open with another configuration")
            }
            return existing
        }
        let task: Task<TopicStore, any Error>
        if let pending = opening[name] {
            task = pending
        } else {
            let directory = self.directory.string + "/topics/" + name
            let environment = self.environment
            task = Task {
                try await Self.openInstances(
                    name: name,
                    directory: directory,
                    configuration: configuration,
                    environment: environment
                )
            }
            opening[name] = task
        }
        let result = await task.result
        opening[name] = nil
        switch result {
        case .success(let store):
            guard store.configuration == configuration else {
                throw StorageError(code: .invalidTopic, message: "topic \(name) is open with another configuration")
            }
            if isClosed {
                try? await store.close()
                throw .closed("message store")
            }
            await clampOffsets(of: store, stores: 0..<store.instances.count)
            topics.withLock { $0[name] = store }
            return store
        case .failure(let error):
            throw error as? StorageError
                ?? StorageError(code: .fileSystem, message: "opening topic \(name) failed: \(error)")
        }
    }

    /// Gives the open topic `name` a new configuration in place, opening `name` if it is not open.
    ///
    /// Unlike closing and opening again, nothing the topic serves is interrupted: its instances take
    /// the new settings while appends and reads go on, and instances for added stores are opened
    /// beside them. Requests already holding the previous ``TopicStore`` keep working.
    ///
    /// - Throws: ``StorageError/Code/invalidConfiguration`` for fewer stores or partitions per store
    ///   than the open topic has (close and open it to shrink), and what ``openTopic(_:configuration:)``
    ///   throws.
    @discardableResult
    public func reconfigureTopic(
        _ name: String,
        configuration: TopicConfiguration
    ) async throws(StorageError) -> TopicStore {
        await beginChange(of: name)
        defer { endChange(of: name) }
        guard !isClosed else { throw .closed("message store") }
        guard let existing = topic(name) else { return try await openTopic(name, configuration: configuration) }
        try configuration.validate()
        if existing.configuration == configuration { return existing }
        guard existing.configuration.canBeReconfigured(to: configuration) else {
            throw StorageError(
                code: .invalidConfiguration,
                message: "topic \(name) can only gain stores and partitions while open"
            )
        }
        // Added stores first: when one cannot be opened, the topic is left as it was.
        let added = try await Self.openInstances(
            name: name,
            directory: self.directory.string + "/topics/" + name,
            configuration: configuration,
            stores: existing.instances.count..<configuration.storeCount,
            environment: environment
        )
        for instance in existing.instances { await instance.reconfigure(configuration) }
        let store = TopicStore(name: name, configuration: configuration, instances: existing.instances + added)
        if isClosed {
            for instance in added { try? await instance.close() }
            throw .closed("message store")
        }
        await clampOffsets(of: store, stores: existing.instances.count..<store.instances.count)
        topics.withLock { $0[name] = store }
        return store
    }

    /// Moves group offsets that lie beyond the end of a partition of `stores` (just opened, so
    /// recovered) back to that end, before the topic takes sends: see
    /// ``OffsetStore/clampCommittedOffsets(topic:partitionEnds:)``.
    private func clampOffsets(of store: TopicStore, stores: Range<Int>) async {
        var ends: [Int32: Int64] = [:]
        for index in stores {
            let end = await store.instances[index].offsetRange.max
            for partitionID in store.partitionIDs where PartitionID.storeIndex(of: partitionID) == Int32(index) {
                ends[partitionID] = end
            }
        }
        await offsets.clampCommittedOffsets(topic: store.name, partitionEnds: ends)
    }

    /// Waits until no other reconfiguration or close of `name` runs, then marks one as running.
    private func beginChange(of name: String) async {
        while changing[name] != nil {
            await withCheckedContinuation { changing[name, default: []].append($0) }
        }
        changing[name] = []
    }

    /// Ends the change of `name` begun by ``beginChange(of:)`` and wakes those waiting for their turn.
    private func endChange(of name: String) {
        for waiter in changing.removeValue(forKey: name) ?? [] { waiter.resume() }
    }

    private static func openInstances(
        name: String,
        directory: String,
        configuration: TopicConfiguration,
        environment: StorageEnvironment
    ) async throws(StorageError) -> TopicStore {
        let instances = try await openInstances(
            name: name,
            directory: directory,
            configuration: configuration,
            stores: 0..<configuration.storeCount,
            environment: environment
        )
        return TopicStore(name: name, configuration: configuration, instances: instances)
    }

    /// Opens the instances of `stores`, closing those opened when one fails.
    private static func openInstances(
        name: String,
        directory: String,
        configuration: TopicConfiguration,
        stores: Range<Int>,
        environment: StorageEnvironment
    ) async throws(StorageError) -> [StorageInstance] {
        var instances: [StorageInstance] = []
        do throws(StorageError) {
            for store in stores {
                instances.append(
                    try await StorageInstance.open(
                        topic: name,
                        storeIndex: Int32(store),
                        directory: directory + "/" + String(store),
                        configuration: configuration,
                        environment: environment
                    )
                )
            }
        } catch {
            for instance in instances { try? await instance.close() }
            throw error
        }
        return instances
    }

    /// The open topic called `name`, if any. Safe to call from any context without a hop.
    public nonisolated func topic(_ name: String) -> TopicStore? {
        topics.withLock { $0[name] }
    }

    /// The open topics with at least one instance that is not writable (a write failed and its
    /// retry has not succeeded yet), for the broker to report. No actor hop.
    public nonisolated var unwritableTopics: [String] {
        topics.withLock { $0.values.filter { !$0.isWritable }.map(\.name) }.sorted()
    }

    /// The names of the open topics.
    public nonisolated var topicNames: [String] {
        topics.withLock { Array($0.keys) }
    }

    /// Closes one topic: flushes it and joins its flushers.
    ///
    /// - Throws: ``StorageError/Code/unknownTopic``, or the write error of data that could not be flushed.
    public func closeTopic(_ name: String) async throws(StorageError) {
        await beginChange(of: name)
        defer { endChange(of: name) }
        guard let store = topics.withLock({ $0.removeValue(forKey: name) }) else {
            throw StorageError(code: .unknownTopic, message: "topic \(name) is not open")
        }
        try await store.close()
    }

    /// Removes topic `name` for good (the master's "remove" of its deployment here): closes it if it is
    /// open, deletes its files and forgets every group's offsets in it. A topic with no files is
    /// removed at once; a later ``openTopic(_:configuration:)`` of the name starts empty.
    ///
    /// - Throws: ``StorageError/Code/fileSystem`` when a file cannot be deleted (what was deleted stays
    ///   deleted; removing again goes on), ``StorageError/Code/invalidTopic``, ``StorageError/Code/closed``.
    public func removeTopic(_ name: String) async throws(StorageError) {
        await beginChange(of: name)
        defer { endChange(of: name) }
        guard !isClosed else { throw .closed("message store") }
        try TopicName.validate(name)
        if let store = topics.withLock({ $0.removeValue(forKey: name) }) {
            // Its data is about to be deleted: a flush that fails does not matter, the joined flushers do.
            try? await store.close()
        }
        try FileIO.removeTree(directory.string + "/topics/" + name)
        try await offsets.removeTopic(name)
    }

    /// Applies every topic's retention policy now; returns the number of segments deleted.
    @discardableResult
    public func enforceRetention() async -> Int {
        var deleted = 0
        for store in topics.withLock({ Array($0.values) }) {
            do throws(StorageError) {
                deleted += try await store.enforceRetention()
            } catch {
                if error.code != .closed {
                    environment.logger.error(
                        "retention failed",
                        metadata: ["tubemq.topic": "\(store.name)", "tubemq.error": "\(error)"]
                    )
                }
            }
        }
        return deleted
    }

    /// Closes every topic (flushing them and joining every flusher), the offset store, the I/O
    /// threads and the backend. Later calls fail with ``StorageError/Code/closed``.
    ///
    /// - Throws: the first failure to flush remaining data; everything is closed regardless.
    public func close() async throws(StorageError) {
        guard !isClosed else { return }
        isClosed = true
        retentionTask?.cancel()
        await retentionTask?.value
        retentionTask = nil
        for task in opening.values { _ = await task.result }
        let stores = topics.withLock { topics in
            defer { topics.removeAll() }
            return Array(topics.values)
        }
        var failure: StorageError?
        for store in stores {
            do throws(StorageError) {
                try await store.close()
            } catch {
                failure = failure ?? error
            }
        }
        await offsets.close()
        environment.pool.shutdown()
        environment.io.shutdown()
        if let failure { throw failure }
    }
}
