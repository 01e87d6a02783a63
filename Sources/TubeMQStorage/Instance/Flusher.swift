import Glibc

/// One unit of flusher work: write a sealed block (and maybe sync), or only sync.
struct FlushJob: Sendable {
    /// Identifies the job, so a result is matched to the job the actor issued.
    let id: Int
    /// The block to write; `nil` for a sync-only job.
    let block: MemoryBlock?
    /// The segment written or synced.
    let segmentBase: Int64
    let directory: String
    /// Whether the data file is `fdatasync`ed after the write.
    let sync: Bool
    /// When the block starts a new segment: the segment before it, whose data and index are synced
    /// before the new files are created (recovery trusts older segments, see `InstanceRecovery`).
    let previousSegmentBase: Int64?

    var dataPath: String { directory + "/" + SegmentName.data(segmentBase) }
    var indexPath: String { directory + "/" + SegmentName.index(segmentBase) }
    /// The first write to a segment creates its files, so the directory must be synced too.
    var createsFiles: Bool { block?.dataStart == 0 }
}

/// The open files of the segment the flusher is writing; closed whenever the flusher goes idle.
struct TailFiles: Sendable {
    let segmentBase: Int64
    let data: CInt
    let index: CInt

    func close() {
        FileIO.close(data)
        FileIO.close(index)
    }
}

/// The flush loop of one storage instance: a detached task, created when the instance opens and
/// joined when it closes.
///
/// It asks the actor for work, performs the writes and syncs on the I/O thread pool (never on the
/// actor), and reports back. Between bursts of work it closes its files, so an idle instance holds
/// no file descriptors.
enum Flusher {
    static func run(instance: StorageInstance, environment: StorageEnvironment) async {
        var files: TailFiles?
        var idle = false
        while true {
            switch await instance.nextFlushWork(idle: idle) {
            case .exit:
                if let files { await environment.pool.run { files.close() } }
                return
            case .idle:
                if let open = files {
                    files = nil
                    await environment.pool.run { open.close() }
                }
                idle = true
            case .write(let job):
                idle = false
                let current = files
                let io = environment.io
                let started = ContinuousClock.now
                let (after, result) = await environment.pool.run { () -> (TailFiles?, Result<Void, StorageError>) in
                    perform(job, files: current, io: io)
                }
                files = after
                if let observer = environment.flushObserver, case .success = result {
                    observer(
                        FlushObservation(
                            topic: instance.topic,
                            duration: ContinuousClock.now - started,
                            bytes: job.block.map { Int64($0.dataCount) } ?? 0,
                            messages: job.block.map { Int64($0.entryCount) } ?? 0,
                            synced: job.sync
                        )
                    )
                }
                switch await instance.finishFlush(job, result: result, cancelled: Task.isCancelled) {
                case .proceed:
                    // A new segment began: the one before it is complete and synced, so a size cap can act.
                    if job.previousSegmentBase != nil { await instance.enforceSizeCapAfterRoll() }
                    continue
                case .retry(let delay):
                    do {
                        try await environment.clock.sleep(milliseconds: delay)
                    } catch {
                        // Cancelled: the instance is closing; the next request gives up or exits.
                    }
                case .giveUp:
                    if let files { await environment.pool.run { files.close() } }
                    return
                }
            }
        }
    }

    /// `fdatasync`s the data and index files of segment `base` (a missing file has nothing to sync).
    static func syncSegment(_ base: Int64, in directory: String, data: Bool = true) throws(StorageError) {
        var paths = [directory + "/" + SegmentName.index(base)]
        if data { paths.append(directory + "/" + SegmentName.data(base)) }
        for path in paths {
            let fd: CInt
            do throws(StorageError) {
                fd = try FileIO.openForReading(path)
            } catch {
                if error.systemErrno == ENOENT { continue }
                throw error
            }
            defer { FileIO.close(fd) }
            try FileIO.dataSync(fd, path: path)
        }
    }

    /// Runs one job: writes the block's records to the data file and its entries to the index
    /// file, then, for a syncing job, `fdatasync`s both (with io_uring: one linked chain of write,
    /// write, fdatasync, fdatasync). The first write to a segment syncs the previous segment and,
    /// after the write, the directory. Blocks the thread.
    static func perform(
        _ job: FlushJob,
        files: TailFiles?,
        io: any StorageIO
    ) -> (TailFiles?, Result<Void, StorageError>) {
        var files = files
        do throws(StorageError) {
            if let open = files, open.segmentBase != job.segmentBase {
                open.close()
                files = nil
            }
            let open: TailFiles
            if let files {
                open = files
            } else {
                if job.createsFiles, let previous = job.previousSegmentBase {
                    try syncSegment(previous, in: job.directory)
                }
                let data = try FileIO.openForWriting(job.dataPath)
                let index: CInt
                do throws(StorageError) {
                    index = try FileIO.openForWriting(job.indexPath)
                } catch {
                    FileIO.close(data)
                    throw error
                }
                open = TailFiles(segmentBase: job.segmentBase, data: data, index: index)
                files = open
            }
            var writes: [FlushWrite] = []
            if let block = job.block {
                let indexOffset = (block.firstEntry - block.segmentBase) * Int64(IndexEntry.size)
                writes = [
                    FlushWrite(fd: open.data, bytes: block.dataBytes, offset: block.dataStart, path: job.dataPath),
                    FlushWrite(fd: open.index, bytes: block.indexBytes, offset: indexOffset, path: job.indexPath),
                ]
            }
            let syncs =
                job.sync
                ? [FlushSync(fd: open.data, path: job.dataPath), FlushSync(fd: open.index, path: job.indexPath)] : []
            try io.writeAndSync(writes, syncs: syncs)
            if job.createsFiles { try FileIO.syncDirectory(job.directory) }
            return (files, .success(()))
        } catch {
            files?.close()
            return (nil, .failure(error))
        }
    }
}
