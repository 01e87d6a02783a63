import Synchronization
import TubeMQCore

/// Every message the durability checker's producers had acknowledged, and the verdict once the
/// topic was read back: what was lost, duplicated or corrupted.
///
/// A message body starts with a 16-byte key (run tag, producer, sequence number); the rest is
/// filler derived from the key, so a body can be checked on its own and against the CRC recorded
/// when it was acknowledged. Thread-safe.
public final class DurabilityLedger: Sendable {
    /// Where an acknowledged message was stored, and its body's CRC.
    struct Entry: Sendable {
        var partition: String
        var offset: Int64
        var crc: Int32
    }

    /// The run tag every body of this run starts with.
    public let runTag: UInt32
    private let acknowledged = Mutex<[UInt64: Entry]>([:])

    /// Creates an empty ledger for the run marked `runTag`.
    public init(runTag: UInt32) { self.runTag = runTag }

    /// The key of message `sequence` of producer `producer`.
    static func key(producer: Int, sequence: UInt64) -> UInt64 { UInt64(producer) << 40 | (sequence & 0xFF_FFFF_FFFF) }

    /// The body of the message with `key`: the key header, then `size - 16` filler bytes.
    func body(key: UInt64, size: Int) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(max(size, 16))
        withUnsafeBytes(of: runTag.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(0).bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: key.bigEndian) { bytes.append(contentsOf: $0) }
        var state = key &* 0x9E37_79B9_7F4A_7C15 | 1
        while bytes.count < size {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes.append(UInt8(truncatingIfNeeded: state))
        }
        return bytes
    }

    /// Records that the message with `key` and `body` was acknowledged at `partition`/`offset`.
    func record(key: UInt64, body: [UInt8], partition: String, offset: Int64) {
        let crc = CRC32.tubeChecksum(body)
        acknowledged.withLock { $0[key] = Entry(partition: partition, offset: offset, crc: crc) }
    }

    /// How many messages were acknowledged so far.
    public var acknowledgedCount: Int { acknowledged.withLock { $0.count } }

    /// The key of a body of this run, or `nil` for another run's message.
    func key(of body: [UInt8]) -> UInt64? {
        guard body.count >= 16 else { return nil }
        let tag = body[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard tag == runTag else { return nil }
        return body[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// The verdict over `consumed`, the bodies read back from the first offset.
    public func verdict(consumed: [[UInt8]]) -> DurabilityReport {
        let expected = acknowledged.withLock { $0 }
        var seen: [UInt64: Int] = [:]
        var report = DurabilityReport(acknowledged: expected.count)
        for body in consumed {
            guard let key = key(of: body) else { continue }
            report.consumed += 1
            seen[key, default: 0] += 1
            if let entry = expected[key] {
                if entry.crc != CRC32.tubeChecksum(body) { report.corrupted += 1 }
            } else if body != self.body(key: key, size: body.count) {
                report.corrupted += 1
            } else if seen[key] == 1 {
                report.storedUnacknowledged += 1
            }
        }
        report.duplicated = seen.values.reduce(0) { $0 + max(0, $1 - 1) }
        report.lost = expected.keys.reduce(0) { $0 + (seen[$1] == nil ? 1 : 0) }
        return report
    }
}

/// What a durability run found.
public struct DurabilityReport: Sendable, Hashable, Codable {
    /// Messages the producers had acknowledged.
    public var acknowledged: Int
    /// Messages of this run read back (duplicates included).
    public var consumed = 0
    /// Acknowledged messages never read back.
    public var lost = 0
    /// Extra copies read back.
    public var duplicated = 0
    /// Messages read back whose body differs from what was sent.
    public var corrupted = 0
    /// Messages stored whose acknowledgement never reached the producer (allowed).
    public var storedUnacknowledged = 0

    /// Creates a report for `acknowledged` messages, nothing read yet.
    public init(acknowledged: Int) { self.acknowledged = acknowledged }

    /// One line for people.
    public var line: String {
        "acknowledged \(acknowledged), consumed \(consumed), lost \(lost), duplicated \(duplicated), "
            + "corrupted \(corrupted), stored but unacknowledged \(storedUnacknowledged)"
    }
}
