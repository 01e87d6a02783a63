import Benchmark
import Foundation
import Logging
import NIOCore
import SystemPackage
import TubeMQStorage

// Storage engine throughput. Each benchmark opens its own store in a fresh temporary directory
// (on the same file system as fio's run in scripts/bench-storage) and removes it afterwards.
//
// - append/<size>/<ack>/<io>: one iteration appends one batch (1,000 messages of 100 B or 1 KB,
//   or 16 messages of 64 KB = 1 MiB). Under `memory` the flusher writes in the background and
//   appends wait only when two blocks are already queued, so the rate is the sustained one.
//   Under `disk` every batch waits for its own fdatasync.
// - seqwrite/1MiB/<io>: one iteration writes 1 GiB in 1 MiB batches and flushes, like fio's
//   sequential write with end_fsync.
// - read/<source>: one iteration reads 1 MiB of 1 KB messages of one partition, from the memory
//   block or from the segment files.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .cpuTotal, .mallocCountTotal],
        warmupIterations: 3,
        maxDuration: .seconds(4),
        maxIterations: 100_000
    )

    for io in IOBackend.allCases {
        for acknowledgement in FlushPolicy.Acknowledgement.allCases {
            for (label, size, count) in [("100B", 100, 1000), ("1KB", 1024, 1000), ("64KB", 64 << 10, 16)] {
                let fixture = AppendFixture(io: io, acknowledgement: acknowledgement, payloadSize: size, batchCount: count)
                Benchmark(
                    "append/\(label)x\(count)/\(acknowledgement)/\(io)",
                    configuration: .init(setup: { try await fixture.setUp() }, teardown: { await fixture.tearDown() })
                ) { benchmark in
                    for _ in benchmark.scaledIterations {
                        try await fixture.appendOneBatch()
                    }
                }
            }
        }
        let sequential = AppendFixture(io: io, acknowledgement: .memory, payloadSize: 64 << 10, batchCount: 16, blockBytes: 16 << 20)
        Benchmark(
            "seqwrite/1MiB-batches/1GiB/\(io)",
            configuration: .init(
                metrics: [.wallClock, .cpuTotal],
                warmupIterations: 1,
                maxDuration: .seconds(30),
                maxIterations: 3,
                setup: { try await sequential.setUp() },
                teardown: { await sequential.tearDown() }
            )
        ) { benchmark in
            try await sequential.writeSequentially(megabytes: 1024)
        }
    }

    for source in ReadFixture.Source.allCases {
        let fixture = ReadFixture(source: source)
        Benchmark(
            "read/1KB/1MiB-reads/\(source)",
            configuration: .init(setup: { try await fixture.setUp() }, teardown: { await fixture.tearDown() })
        ) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try await fixture.readOneMegabyte())
            }
        }
    }
}
