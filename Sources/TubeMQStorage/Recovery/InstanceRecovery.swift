import Logging

/// Opens an instance directory: finds its segments, checks them, and repairs what is damaged.
///
/// The newest segment is always verified record by record against its index (see
/// ``SegmentScanner``); the clean-close checkpoint only cross-checks that scan. Older segments
/// were complete and synced before the next one was created, so for them the index alone is
/// verified (every entry's CRC, entries contiguous from position 0 to the end of the data file,
/// partition ids of this instance, append times in order); any disagreement triggers the full
/// scan and rebuild of that segment. Their records are verified on every read.
enum InstanceRecovery {
    /// The recovered segments and what recovery did.
    struct Outcome: Sendable {
        var segments: [SegmentInfo]
        /// The entry number the next append gets.
        var nextEntry: Int64
        var truncatedBytes: Int64 = 0
        var skippedBytes: Int64 = 0
        var skippedEntries: Int64 = 0
        var rebuiltEntries: Int64 = 0
        var restoredEntries: Int64 = 0
        var droppedEntries: Int64 = 0
        var scannedSegments = 0
        /// The checkpoint found on disk, if valid.
        var checkpoint: Checkpoint?

        /// Whether recovery changed anything.
        var repaired: Bool {
            truncatedBytes > 0 || skippedBytes > 0 || skippedEntries > 0 || rebuiltEntries > 0 || restoredEntries > 0
                || droppedEntries > 0
        }

        mutating func add(_ scan: SegmentScanner.Outcome) {
            segments.append(scan.segment)
            scannedSegments += 1
            truncatedBytes += scan.truncatedBytes
            skippedBytes += scan.skippedBytes
            skippedEntries += scan.skippedEntries
            rebuiltEntries += scan.rebuiltEntries
            restoredEntries += scan.restoredEntries
            droppedEntries += scan.droppedEntries
        }
    }

    /// Recovers `directory`; `holds` tells which partition ids belong to the instance. Blocks the
    /// thread. Damage is logged to `logger` at error level.
    static func recover(
        directory: String,
        logger: Logger,
        holds: (Int32) -> Bool = { $0 >= 0 }
    ) throws(StorageError) -> Outcome {
        try FileIO.makeDirectories(directory)
        try FileIO.remove(directory + "/" + SegmentName.checkpointTemporary)
        var bases = Set<Int64>()
        for name in try FileIO.list(directory) {
            if let base = SegmentName.base(of: name, suffix: SegmentName.dataSuffix)
                ?? SegmentName.base(of: name, suffix: SegmentName.indexSuffix)
            {
                bases.insert(base)
            }
        }
        let sorted = bases.sorted()
        let checkpoint = Checkpoint.load(directory: directory)
        if checkpoint == nil, (try? FileIO.size(ofPath: directory + "/" + SegmentName.checkpoint)) != nil {
            // Not an error in itself: recovery scans the newest segment instead of trusting it.
            logger.warning(
                "the checkpoint file is empty or damaged; ignoring it and scanning the newest segment",
                metadata: ["tubemq.path": "\(directory)/\(SegmentName.checkpoint)"]
            )
        }
        guard let newest = sorted.last else {
            let next = checkpoint.map { $0.segmentBase + $0.entries } ?? 0
            return Outcome(segments: [], nextEntry: next, checkpoint: checkpoint)
        }
        var outcome = Outcome(segments: [], nextEntry: 0, checkpoint: checkpoint)
        for base in sorted {
            if base != newest,
                let sealed = try IndexVerifier.sealedSegment(base: base, directory: directory, holds: holds)
            {
                outcome.segments.append(sealed)
                continue
            }
            if base != newest {
                logger.error(
                    "an older segment's index disagrees with its data; scanning it",
                    metadata: ["tubemq.segment": "\(SegmentName.data(base))"]
                )
            }
            let relevant = checkpoint.flatMap { $0.segmentBase == base ? $0 : nil }
            outcome.add(try SegmentScanner.scan(base: base, directory: directory, checkpoint: relevant, logger: logger))
        }
        outcome.nextEntry = outcome.segments.last.map { $0.writtenEnd } ?? 0
        reportMissingSegments(outcome, logger: logger)
        return outcome
    }

    /// Logs segments whose files are gone: a gap between two segments, or the segment the clean-close
    /// checkpoint names. Their messages cannot be read; group offsets beyond the new end are moved
    /// back when the topic opens (``OffsetStore/clampCommittedOffsets(topic:partitionEnds:)``).
    private static func reportMissingSegments(_ outcome: Outcome, logger: Logger) {
        var previous: SegmentInfo?
        for segment in outcome.segments {
            if let previous, segment.base > previous.writtenEnd {
                logger.error(
                    "segment files are missing: these messages cannot be read",
                    metadata: [
                        "tubemq.firstEntry": "\(previous.writtenEnd)",
                        "tubemq.entries": "\(segment.base - previous.writtenEnd)",
                        "tubemq.nextSegment": "\(SegmentName.data(segment.base))",
                    ]
                )
            }
            previous = segment
        }
        if let checkpoint = outcome.checkpoint, checkpoint.segmentBase + checkpoint.entries > outcome.nextEntry,
            !outcome.segments.contains(where: { $0.base == checkpoint.segmentBase })
        {
            logger.error(
                "the newest segment named by the clean-close checkpoint is missing: its messages are lost and their offsets will be used again",
                metadata: [
                    "tubemq.segment": "\(SegmentName.data(checkpoint.segmentBase))",
                    "tubemq.entries": "\(checkpoint.entries)", "tubemq.nextEntry": "\(outcome.nextEntry)",
                ]
            )
        }
    }
}
