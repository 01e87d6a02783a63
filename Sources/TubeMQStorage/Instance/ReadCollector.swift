import NIOCore

/// The limits of one read that are left after the part already served.
struct ReadLimits: Sendable {
    let partitionID: Int32
    let typeHashes: Set<Int32>?
    var remainingCount: Int
    var remainingBytes: Int
    var remainingScan: Int
    /// Whether a message was already taken (the byte budget may be exceeded only by the first).
    var hasMessages: Bool

    var isExhausted: Bool { remainingCount <= 0 || remainingScan <= 0 || (hasMessages && remainingBytes <= 0) }

    func matches(partitionID: Int32, typeHash: Int32) -> Bool {
        partitionID == self.partitionID && (typeHashes?.contains(typeHash) ?? true)
    }

    /// Whether a matching message with `payloadLength` bytes still fits.
    func admits(payloadLength: Int) -> Bool { !hasMessages || payloadLength <= remainingBytes }

    /// Ends the read: the next matching message did not fit the byte budget.
    mutating func markFull() { remainingBytes = 0 }

    mutating func take(payloadLength: Int) {
        remainingCount -= 1
        remainingBytes -= payloadLength
        hasMessages = true
    }
}

/// Accumulates the messages of one read across disk chunks and memory blocks.
///
/// Payloads served from memory are copied into one buffer and sliced at the end, so a read
/// allocates per call, not per message.
struct ReadCollector {
    var limits: ReadLimits
    private(set) var messages: [StoredMessage] = []
    private var memoryPayloads: ByteBuffer?
    private var memorySlices: [(message: Int, start: Int, length: Int)] = []
    private static let emptyPayload = ByteBuffer()

    init(limits: ReadLimits) {
        self.limits = limits
    }

    mutating func append(contentsOf chunk: DiskReader.Chunk) {
        messages.append(contentsOf: chunk.messages)
        limits = chunk.limits
    }

    /// A matching record found in a memory block, pointing into the block (valid until the storage
    /// instance next runs something else).
    struct MemoryRecord {
        var offset: Int64
        var header: RecordLayout.Header
        var payload: UnsafeRawBufferPointer
    }

    /// Copies records of a memory block, whose payloads come to `totalBytes`, into the read's payload
    /// buffer (grown once, by exactly what they need). The limits were already charged for them.
    mutating func appendFromMemory(_ records: [MemoryRecord], totalBytes: Int) {
        guard !records.isEmpty else { return }
        if memoryPayloads == nil {
            memoryPayloads = ByteBufferAllocator().buffer(capacity: totalBytes)
        } else {
            memoryPayloads?.reserveCapacity(minimumWritableBytes: totalBytes)
        }
        messages.reserveCapacity(messages.count + records.count)
        memorySlices.reserveCapacity(memorySlices.count + records.count)
        for record in records {
            let start = memoryPayloads?.writerIndex ?? 0
            memoryPayloads?.writeBytes(record.payload)
            memorySlices.append((messages.count, start, record.payload.count))
            messages.append(StoredMessage(offset: record.offset, header: record.header, payload: Self.emptyPayload))
        }
    }

    /// The messages, with memory payloads sliced out of their shared buffer.
    mutating func finish() -> [StoredMessage] {
        if let buffer = memoryPayloads {
            for slice in memorySlices {
                messages[slice.message].payload =
                    buffer.getSlice(at: slice.start, length: slice.length) ?? Self.emptyPayload
            }
        }
        return messages
    }
}
