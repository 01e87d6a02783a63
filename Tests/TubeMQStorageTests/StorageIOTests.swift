import Foundation
import Testing

@testable import TubeMQStorage

/// Both backends write the same bytes, including flushes that need several io_uring chains.
@Suite struct StorageIOTests {
    @Test(arguments: IOBackend.allCases)
    func writesEveryChunkThenSyncs(io backend: IOBackend) throws {
        let directory = TemporaryDirectory("io")
        defer { directory.remove() }
        let io: any StorageIO = backend == .posix ? PosixIO() : try #require(try? URingIO.make(ringCount: 1).get())
        defer { io.shutdown() }
        let first = directory.path + "/a"
        let second = directory.path + "/b"
        let a = try FileIO.openForWriting(first)
        defer { FileIO.close(a) }
        let b = try FileIO.openForWriting(second)
        defer { FileIO.close(b) }
        let chunk = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        // 40 writes + 2 syncs: more operations than one chain holds.
        try chunk.withUnsafeBytes { raw in
            var writes: [FlushWrite] = []
            for i in 0..<20 {
                writes.append(FlushWrite(fd: a, bytes: raw, offset: Int64(i * 1000), path: first))
                writes.append(
                    FlushWrite(
                        fd: b,
                        bytes: UnsafeRawBufferPointer(rebasing: raw[0..<(i + 1)]),
                        offset: Int64(i * 100),
                        path: second
                    )
                )
            }
            try io.writeAndSync(writes, syncs: [FlushSync(fd: a, path: first), FlushSync(fd: b, path: second)])
        }
        let written = try #require(FileManager.default.contents(atPath: first))
        #expect(Array(written) == Array((0..<20).map { _ in chunk }.joined()))
        let other = try #require(FileManager.default.contents(atPath: second))
        #expect(other.count == 19 * 100 + 20)
        #expect(Array(other[1900..<1920]) == Array(chunk[0..<20]))
    }

    @Test(arguments: IOBackend.allCases)
    func reportsAFailedWrite(io backend: IOBackend) throws {
        let directory = TemporaryDirectory("io")
        defer { directory.remove() }
        let io: any StorageIO = backend == .posix ? PosixIO() : try #require(try? URingIO.make(ringCount: 1).get())
        defer { io.shutdown() }
        let path = directory.path + "/ro"
        FileIO.close(try FileIO.openForWriting(path))
        let readOnly = try FileIO.openForReading(path)
        defer { FileIO.close(readOnly) }
        let bytes: [UInt8] = [1, 2, 3]
        #expect(throws: StorageError.self) {
            try bytes.withUnsafeBytes { raw in
                try io.writeAndSync([FlushWrite(fd: readOnly, bytes: raw, offset: 0, path: path)], syncs: [])
            }
        }
    }
}
