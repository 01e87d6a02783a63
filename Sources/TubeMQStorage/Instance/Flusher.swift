import Glibc

/// A sealed memory block to write, with where it goes.
struct FlushJob: Sendable {
    let block: MemoryBlock
    let directory: String
    /// When the block starts a new segment: the segment before it, whose index is synced before
    /// the new files are created (older segments are trusted by recovery, see `InstanceRecovery`).
    let previousSegmentBase: Int64?

    var dataPath: String { directory + "/" + SegmentName.data(block.segmentBase) }
    var indexPath: String { directory + "/" + SegmentName.index(block.segmentBase) }
    /// The first write to a segment creates its files, so the directory must be synced too.
    var createsFiles: Bool { block.dataStart == 0 }
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
                let (after, result) = await environment.pool.run { () -> (TailFiles?, Result<Void, StorageError>) in
                    write(job, files: current, io: io)
                }
                files = after
                let outcome = await instance.finishFlush(job.block, result: result, cancelled: Task.isCancelled)
                switch outcome {
                case .proceed:
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

    /// `fdatasync`s the index file of segment `base`.
    static func syncIndex(of base: Int64, in directory: String) throws(StorageError) {
        let path = directory + "/" + SegmentName.index(base)
        let fd: CInt
        do throws(StorageError) {
            fd = try FileIO.openForReading(path)
        } catch {
            if error.systemErrno == ENOENT { return }  // an empty segment never had an index file
            throw error
        }
        defer { FileIO.close(fd) }
        try FileIO.dataSync(fd, path: path)
    }

    /// Writes one block: its records to the data file and its entries to the index file, then
    /// `fdatasync`s the data file (and the directory when the segment's files are new). Blocks the thread.
    static func write(
        _ job: FlushJob, files: TailFiles?, io: any StorageIO
    ) -> (TailFiles?, Result<Void, StorageError>) {
        let block = job.block
        var files = files
        do throws(StorageError) {
            if let open = files, open.segmentBase != block.segmentBase {
                open.close()
                files = nil
            }
            let open: TailFiles
            if let files {
                open = files
            } else {
                if job.createsFiles, let previous = job.previousSegmentBase {
                    try syncIndex(of: previous, in: job.directory)
                }
                let data = try FileIO.openForWriting(job.dataPath)
                let index: CInt
                do throws(StorageError) {
                    index = try FileIO.openForWriting(job.indexPath)
                } catch {
                    FileIO.close(data)
                    throw error
                }
                open = TailFiles(segmentBase: block.segmentBase, data: data, index: index)
                files = open
            }
            let indexOffset = (block.firstEntry - block.segmentBase) * Int64(IndexEntry.size)
            // Only the data file is synced: the index of the newest segment is derived data that
            // recovery verifies and rebuilds from the records.
            try io.writeAndSync(
                [
                    FlushWrite(fd: open.data, bytes: block.dataBytes, offset: block.dataStart, path: job.dataPath),
                    FlushWrite(fd: open.index, bytes: block.indexBytes, offset: indexOffset, path: job.indexPath),
                ],
                syncs: [FlushSync(fd: open.data, path: job.dataPath)]
            )
            if job.createsFiles { try FileIO.syncDirectory(job.directory) }
            return (files, .success(()))
        } catch {
            files?.close()
            return (nil, .failure(error))
        }
    }
}
