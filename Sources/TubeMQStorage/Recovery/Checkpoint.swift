import Glibc
import TubeMQCore

/// The durable state of an instance's newest segment at its last clean close.
///
/// Recovery trusts everything before the checkpoint and scans only what follows it; without a
/// valid checkpoint for the newest segment it scans that whole segment. The checkpoint is a lower
/// bound, never an upper one: data appended after it is found by the scan.
///
/// File layout, little-endian: magic "TMQC" (u32), segment base (i64), entries (i64),
/// data bytes (i64), CRC-32 of the preceding 28 bytes (u32).
struct Checkpoint: Equatable {
    static let size = 32
    static let magic: UInt32 = 0x4351_4D54

    var segmentBase: Int64
    var entries: Int64
    var bytes: Int64

    func encoded() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.size)
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            base.storeBytes(of: Self.magic.littleEndian, toByteOffset: 0, as: UInt32.self)
            base.storeBytes(of: segmentBase.littleEndian, toByteOffset: 4, as: Int64.self)
            base.storeBytes(of: entries.littleEndian, toByteOffset: 12, as: Int64.self)
            base.storeBytes(of: self.bytes.littleEndian, toByteOffset: 20, as: Int64.self)
            let crc = CRC32.checksum(UnsafeRawBufferPointer(start: base, count: 28))
            base.storeBytes(of: crc.littleEndian, toByteOffset: 28, as: UInt32.self)
        }
        return bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer) -> Checkpoint? {
        guard raw.count == size, let base = raw.baseAddress else { return nil }
        guard UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) == magic else { return nil }
        let crc = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 28, as: UInt32.self))
        guard CRC32.checksum(UnsafeRawBufferPointer(start: base, count: 28)) == crc else { return nil }
        let checkpoint = Checkpoint(
            segmentBase: Int64(littleEndian: base.loadUnaligned(fromByteOffset: 4, as: Int64.self)),
            entries: Int64(littleEndian: base.loadUnaligned(fromByteOffset: 12, as: Int64.self)),
            bytes: Int64(littleEndian: base.loadUnaligned(fromByteOffset: 20, as: Int64.self))
        )
        guard checkpoint.segmentBase >= 0, checkpoint.entries >= 0, checkpoint.bytes >= 0 else { return nil }
        return checkpoint
    }

    /// Reads the checkpoint of `directory`; `nil` when absent or damaged.
    static func load(directory: String) -> Checkpoint? {
        let path = directory + "/" + SegmentName.checkpoint
        guard let fd = try? FileIO.openForReading(path) else { return nil }
        defer { FileIO.close(fd) }
        var raw = [UInt8](repeating: 0, count: size + 1)
        let count = (try? FileIO.read(fd, into: &raw, at: 0, path: path)) ?? 0
        return raw.withUnsafeBytes { decode(UnsafeRawBufferPointer(rebasing: $0[0..<min(count, size + 1)])) }
    }

    /// Replaces the checkpoint of `directory` atomically and durably.
    func store(directory: String) throws(StorageError) {
        let temporary = directory + "/" + SegmentName.checkpointTemporary
        let fd = try FileIO.openForWriting(temporary)
        do throws(StorageError) {
            try FileIO.truncate(fd, to: 0, path: temporary)
            let bytes = encoded()
            try FileIO.write(fd, bytes, at: 0, path: temporary)
            try FileIO.dataSync(fd, path: temporary)
            FileIO.close(fd)
        } catch {
            FileIO.close(fd)
            throw error
        }
        try FileIO.rename(temporary, to: directory + "/" + SegmentName.checkpoint)
        try FileIO.syncDirectory(directory)
    }
}
