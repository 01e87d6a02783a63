/// Hot-path helpers: look the topic up without a hop and forward to its instance.
extension MessageStore {
    /// The open topic called `name`.
    ///
    /// - Throws: ``StorageError/Code/unknownTopic`` when it is not open.
    public nonisolated func openedTopic(_ name: String) throws(StorageError) -> TopicStore {
        guard let store = topic(name) else {
            throw StorageError(code: .unknownTopic, message: "topic \(name) is not open")
        }
        return store
    }

    /// Appends a batch to `topic`; see ``TopicStore/append(_:)``.
    public nonisolated func append(topic: String, _ batch: [AppendMessage]) async throws(StorageError) -> AppendResult {
        try await openedTopic(topic).append(batch)
    }

    /// Reads from `topic`; see ``TopicStore/read(_:)``.
    public nonisolated func read(topic: String, _ request: ReadRequest) async throws(StorageError) -> ReadResult {
        try await openedTopic(topic).read(request)
    }

    /// The offset range of a partition's instance.
    public nonisolated func offsetRange(topic: String, partitionID: Int32) async throws(StorageError) -> OffsetRange {
        try await openedTopic(topic).offsetRange(partitionID: partitionID)
    }

    /// The first offset at or after `time` (ms since the epoch) in a partition's instance.
    public nonisolated func offset(
        topic: String,
        partitionID: Int32,
        atOrAfterTime time: Int64
    ) async throws(StorageError) -> Int64 {
        try await openedTopic(topic).offset(partitionID: partitionID, atOrAfterTime: time)
    }
}
