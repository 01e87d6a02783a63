extension StorageInstance {
    /// What the instance holds on disk and in its memory blocks now.
    public var usage: StorageUsage {
        var usage = StorageUsage()
        for segment in segments {
            usage.diskBytes += segment.diskBytes
            usage.indexBytes += segment.writtenEntries * Int64(IndexEntry.size)
            usage.memoryBytes += segment.appendedBytes - segment.writtenBytes
            usage.memoryMessages += segment.appendedEntries - segment.writtenEntries
        }
        return usage
    }
}
