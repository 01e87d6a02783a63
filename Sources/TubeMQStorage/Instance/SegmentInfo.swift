/// What a storage instance knows about one segment, kept in memory so that reads, aging and time
/// look-ups need no file system calls to find their segment.
struct SegmentInfo: Sendable, Equatable {
    /// The global entry number of the segment's first entry; also its file name.
    let base: Int64
    /// Entries on disk and synced.
    var durableEntries: Int64 = 0
    /// Data-file bytes on disk and synced.
    var durableBytes: Int64 = 0
    /// Entries appended, including those still in memory blocks.
    var appendedEntries: Int64 = 0
    /// Data bytes appended, including those still in memory blocks.
    var appendedBytes: Int64 = 0
    /// Append time of the first durable entry, when there is one.
    var firstAppendTime: Int64?
    /// Append time of the newest durable entry (0 when empty).
    var lastAppendTime: Int64 = 0

    /// The global entry after the last durable entry.
    var durableEnd: Int64 { base + durableEntries }

    /// Bytes the segment occupies on disk (data and index).
    var diskBytes: Int64 { durableBytes + durableEntries * Int64(IndexEntry.size) }

    /// Whether every appended entry is on disk.
    var isFullyDurable: Bool { durableEntries == appendedEntries }

    /// A segment recovered from disk, all of it durable.
    static func recovered(base: Int64, entries: Int64, bytes: Int64, firstTime: Int64?, lastTime: Int64) -> SegmentInfo {
        SegmentInfo(
            base: base, durableEntries: entries, durableBytes: bytes, appendedEntries: entries,
            appendedBytes: bytes, firstAppendTime: firstTime, lastAppendTime: lastTime
        )
    }

    func dataPath(in directory: String) -> String { directory + "/" + SegmentName.data(base) }
    func indexPath(in directory: String) -> String { directory + "/" + SegmentName.index(base) }
}
