import Foundation
import Testing
import TubeMQCore

@testable import TubeMQStorage

/// A real full device: a 2 MiB tmpfs (needs root and permission to mount; skipped otherwise).
@Suite struct FullDiskTests {
    /// Whether this process may mount a tmpfs (tried once, on a probe directory).
    static let canMount: Bool = {
        let probe = TemporaryDirectory("tmpfs-probe")
        defer { probe.remove() }
        guard mount("tmpfs", probe.path, "tmpfs", 0, "size=64k") == 0 else { return false }
        return umount(probe.path) == 0
    }()

    @Test(.enabled(if: FullDiskTests.canMount, "mounting a tmpfs is not permitted here"), arguments: StorageMode.all)
    func aFullTmpfsRefusesAppendsAndResumesWhenSpaceReturns(mode: StorageMode) async throws {
        let directory = TemporaryDirectory("tmpfs")
        defer { directory.remove() }
        #expect(mount("tmpfs", directory.path, "tmpfs", 0, "size=2m") == 0)
        defer { _ = umount2(directory.path, Int32(MNT_DETACH)) }
        // Ballast that is deleted later to give space back.
        let ballast = directory.path + "/ballast"
        #expect(FileManager.default.createFile(atPath: ballast, contents: Data(repeating: 1, count: 256 << 10)))

        var configuration = mode.topic(partitions: 1, memoryBlockBytes: 64 << 10)
        configuration.flush.retryDelay = .milliseconds(10)
        configuration.flush.messageThreshold = 64
        let store = try await mode.openStore(directory)
        let topic = try await store.openTopic("full", configuration: configuration)
        let instance = try topic.instance(forPartition: 0)
        var acknowledged: [Int64] = []
        var refusal: StorageError?
        for id in Int64(0)..<4000 {
            do {
                _ = try await topic.append([Fixture.message(id: id, partition: 0, size: 1000)])
                acknowledged.append(id)
            } catch {
                refusal = error
                break
            }
        }
        let error = try #require(refusal, "the 2 MiB file system should fill up")
        #expect(error.code == .noSpace)
        #expect(error.systemErrno == ENOSPC)
        #expect(error.message.contains("no space left on device"), "\(error.message)")
        #expect(!instance.isWritable)
        await #expect(throws: StorageError.self) {
            _ = try await topic.append([Fixture.message(id: 9999, partition: 0, size: 1000)])
        }

        // Free space: the retry succeeds and appends are acknowledged again.
        try FileManager.default.removeItem(atPath: ballast)
        try await eventually("the background retry succeeds") { instance.isWritable }
        let next = Int64(acknowledged.count) + 1000
        _ = try await topic.append([Fixture.message(id: next, partition: 0, size: 1000)])
        acknowledged.append(next)
        try await store.close()

        let reopened = try await mode.openStore(directory)
        let again = try await reopened.openTopic("full", configuration: configuration)
        var found = Set<Int64>()
        for message in try await Fixture.readAll(again, partition: 0) {
            #expect(Array(buffer: message.payload) == Fixture.payload(id: message.messageID, size: 1000))
            found.insert(message.messageID)
        }
        let lost = acknowledged.filter { !found.contains($0) }
        #expect(lost.isEmpty, "every acknowledged message survives: lost \(lost.prefix(10))")
        try await reopened.close()
    }

    /// A data folder on a read-only file system fails the open with that cause named (the error
    /// named a temporary file that was not there: `unlink …checkpoint.tmp failed: read-only …`).
    @Test(.enabled(if: FullDiskTests.canMount, "mounting a tmpfs is not permitted here"))
    func aReadOnlyDataFolderIsNamedAsTheCause() async throws {
        let directory = TemporaryDirectory("tmpfs-ro")
        defer { directory.remove() }
        #expect(mount("tmpfs", directory.path, "tmpfs", 0, "size=2m") == 0)
        defer { _ = umount2(directory.path, Int32(MNT_DETACH)) }
        let mode = StorageMode(io: .posix, acknowledgement: .memory)
        let store = try await mode.openStore(directory)
        let topic = try await store.openTopic("ro", configuration: mode.topic(partitions: 1))
        _ = try await topic.append([Fixture.message(id: 0, partition: 0)])
        try await store.close()
        #expect(mount("tmpfs", directory.path, "tmpfs", UInt(MS_REMOUNT | MS_RDONLY), "size=2m") == 0)
        do {
            let reopened = try await mode.openStore(directory)
            _ = try await reopened.openTopic("ro", configuration: mode.topic(partitions: 1))
            try await reopened.close()
            Issue.record("opening a store on a read-only file system should fail")
        } catch let error as StorageError {
            #expect(error.message.contains("read-only file system: the broker writes there"), "\(error.message)")
        }
    }

    /// A clean close with nothing left to write on a full disk succeeds: only the recovery checkpoint
    /// cannot be written, which loses nothing (the broker said it stopped "without writing every
    /// acknowledged message" and exited 1).
    @Test(.enabled(if: FullDiskTests.canMount, "mounting a tmpfs is not permitted here"))
    func aCloseWithEverythingWrittenSucceedsOnAFullDisk() async throws {
        let directory = TemporaryDirectory("tmpfs-full-close")
        defer { directory.remove() }
        #expect(mount("tmpfs", directory.path, "tmpfs", 0, "size=2m") == 0)
        defer { _ = umount2(directory.path, Int32(MNT_DETACH)) }
        let mode = StorageMode(io: .posix, acknowledgement: .memory)
        let store = try await mode.openStore(directory)
        let topic = try await store.openTopic("t", configuration: mode.topic(partitions: 1))
        _ = try await topic.append((0..<10).map { Fixture.message(id: $0, partition: 0) })
        try await topic.flush()
        // Fill what is left of the device.
        let filler = FileManager.default.createFile(atPath: directory.path + "/filler", contents: nil)
        #expect(filler)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.path + "/filler"))
        let chunk = Data(repeating: 0, count: 64 << 10)
        while (try? handle.write(contentsOf: chunk)) != nil {}
        try? handle.close()
        try await store.close()
        try FileManager.default.removeItem(atPath: directory.path + "/filler")
        let reopened = try await mode.openStore(directory)
        let again = try await reopened.openTopic("t", configuration: mode.topic(partitions: 1))
        #expect(try await Fixture.readAll(again, partition: 0).map(\.messageID) == Array(0..<10))
        try await reopened.close()
    }
}
