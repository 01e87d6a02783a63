/// What a storage instance knows about one segment, kept in memory so that reads, aging and time
/// look-ups need no file system calls to find their segment.
///
/// Three watermarks, each ≤ the next: *durable* (written and `fdatasync`ed), *written* (in the
/// files, maybe only in the page cache), *appended* (including what is still in memory blocks).
struct SegmentInfo: Sendable, Equatable {
    /// The global entry number of the segment's first entry; also its file name.
    let base: Int64
    /// Entries written and synced.
    var durableEntries: Int64 = 0
    /// Data-file bytes written and synced.
    var durableBytes: Int64 = 0
    /// Entries in the files (readable with `pread`), synced or not.
    var writtenEntries: Int64 = 0
    /// Data-file bytes in the files, synced or not.
    var writtenBytes: Int64 = 0
    /// Entries appended, including those still in memory blocks.
    var appendedEntries: Int64 = 0
    /// Data bytes appended, including those still in memory blocks.
    var appendedBytes: Int64 = 0
    /// Append time of the first written entry, when there is one.
    var firstAppendTime: Int64?
    /// Append time of the newest written entry (0 when empty).
    var lastAppendTime: Int64 = 0

    /// The global entry after the last synced entry.
    var durableEnd: Int64 { base + durableEntries }

    /// The global entry after the last written entry.
    var writtenEnd: Int64 { base + writtenEntries }

    /// Bytes the segment occupies on disk (data and index).
    var diskBytes: Int64 { writtenBytes + writtenEntries * Int64(IndexEntry.size) }

    /// Whether every appended entry is written and synced.
    var isFullyDurable: Bool { durableEntries == appendedEntries }

    /// Marks everything written as synced.
    mutating func markSynced() {
        durableEntries = writtenEntries
        durableBytes = writtenBytes
    }

    /// A segment recovered from disk, all of it durable.
    static func recovered(base: Int64, entries: Int64, bytes: Int64, firstTime: Int64?, lastTime: Int64) -> SegmentInfo
    {
        SegmentInfo(
            base: base,
            durableEntries: entries,
            durableBytes: bytes,
            writtenEntries: entries,
            writtenBytes: bytes,
            appendedEntries: entries,
            appendedBytes: bytes,
            firstAppendTime: firstTime,
            lastAppendTime: lastTime
        )
    }

    func dataPath(in directory: String) -> String { directory + "/" + SegmentName.data(base) }
    func indexPath(in directory: String) -> String { directory + "/" + SegmentName.index(base) }
}
