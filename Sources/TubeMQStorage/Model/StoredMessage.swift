public import NIOCore

/// A message read back from storage: everything TubeMQ's `TransferedMessage` needs, plus where it is.
public struct StoredMessage: Sendable {
    /// The message's offset (entry number × 28).
    public var offset: Int64
    /// The partition id it was appended to.
    public var partitionID: Int32
    /// The message id.
    public var messageID: Int64
    /// The message flag.
    public var flag: Int32
    /// `CRC32(payload) & 0x7FFFFFFF`, verified against the payload when read from disk.
    public var checksum: Int32
    /// Java `String.hashCode` of the message type (0 when none).
    public var typeHash: Int32
    /// The append time in ms since the epoch.
    public var appendTime: Int64
    /// The payload; messages of one read share one buffer's storage.
    public var payload: ByteBuffer

    /// Creates a stored message.
    public init(
        offset: Int64,
        partitionID: Int32,
        messageID: Int64,
        flag: Int32,
        checksum: Int32,
        typeHash: Int32,
        appendTime: Int64,
        payload: ByteBuffer
    ) {
        self.offset = offset
        self.partitionID = partitionID
        self.messageID = messageID
        self.flag = flag
        self.checksum = checksum
        self.typeHash = typeHash
        self.appendTime = appendTime
        self.payload = payload
    }
}

extension StoredMessage {
    /// The message of a record at `offset`, its fields from the record's header.
    init(offset: Int64, header: RecordLayout.Header, payload: ByteBuffer) {
        self.init(
            offset: offset,
            partitionID: header.partitionID,
            messageID: header.messageID,
            flag: header.flag,
            checksum: header.checksum,
            typeHash: header.typeHash,
            appendTime: header.appendTime,
            payload: payload
        )
    }
}
