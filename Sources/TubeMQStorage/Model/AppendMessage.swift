public import NIOCore

/// One message to append: what a producer sent, plus the partition it goes to.
public struct AppendMessage: Sendable {
    /// The partition id (`store * 10000 + index`); it must belong to the instance appended to.
    public var partitionID: Int32
    /// The message id the broker assigned (opaque to storage).
    public var messageID: Int64
    /// The message flag; bit 0 says the payload starts with an attribute header.
    public var flag: Int32
    /// Java `String.hashCode` of the message's `$msgType$`, used by filtered reads (0 when none).
    public var typeHash: Int32
    /// The payload exactly as received and as it will be served.
    public var payload: ByteBuffer
    /// `CRC32 & 0x7FFFFFFF` of the payload if the caller already computed it; computed when `nil`.
    /// A wrong value makes the record fail its checks, so pass only a checksum you computed.
    public var checksum: Int32?

    /// Creates a message to append.
    public init(
        partitionID: Int32,
        messageID: Int64,
        flag: Int32 = 0,
        typeHash: Int32 = 0,
        payload: ByteBuffer,
        checksum: Int32? = nil
    ) {
        self.partitionID = partitionID
        self.messageID = messageID
        self.flag = flag
        self.typeHash = typeHash
        self.payload = payload
        self.checksum = checksum
    }

    /// Creates a message to append from a byte array.
    public init(
        partitionID: Int32,
        messageID: Int64,
        flag: Int32 = 0,
        typeHash: Int32 = 0,
        bytes: [UInt8]
    ) {
        self.init(
            partitionID: partitionID,
            messageID: messageID,
            flag: flag,
            typeHash: typeHash,
            payload: ByteBuffer(bytes: bytes)
        )
    }
}

/// Where an appended batch landed: message `i` of the batch has offset `firstOffset + i * 28`.
public struct AppendResult: Sendable, Hashable {
    /// The offset of the batch's first message.
    public var firstOffset: Int64
    /// The number of messages appended.
    public var count: Int
    /// The append time given to every message of the batch, in ms since the epoch.
    public var appendTime: Int64

    /// Creates a result.
    public init(firstOffset: Int64, count: Int, appendTime: Int64) {
        self.firstOffset = firstOffset
        self.count = count
        self.appendTime = appendTime
    }

    /// The offset of message `index` of the batch.
    public func offset(ofMessage index: Int) -> Int64 {
        firstOffset + Int64(index) * StorageOffset.entrySize
    }

    /// The offset after the batch's last message.
    public var nextOffset: Int64 { offset(ofMessage: count) }
}
