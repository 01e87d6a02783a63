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
// - seqwrite/1MiB-batches/1GiB/block<N>MiB/<io>: one iteration writes 1 GiB in 1 MiB batches to a
//   fresh topic and flushes, like fio's sequential write with end_fsync; N is the memory block
//   size (4 MiB is the default), i.e. how much each flush writes before its fdatasync.
// - append/1KBx100/disk/<io>/8-concurrent: eight tasks append a 100-message batch each; the
//   disk-acknowledged appends share fdatasyncs (group commit).
// - append/1KB/<ack>/<io>/<n>-appenders: see GroupCommitFixture; compares `memory` and `disk`
//   acknowledgement with concurrent appenders and reports messages per fdatasync.
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
                let fixture = AppendFixture(
                    io: io,
                    acknowledgement: acknowledgement,
                    payloadSize: size,
                    batchCount: count
                )
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
        for blockMiB in [4, 16] {
            let sequential = AppendFixture(
                io: io,
                acknowledgement: .memory,
                payloadSize: 64 << 10,
                batchCount: 16,
                blockBytes: blockMiB << 20
            )
            Benchmark(
                "seqwrite/1MiB-batches/1GiB/block\(blockMiB)MiB/\(io)",
                configuration: .init(
                    metrics: [.wallClock, .cpuTotal],
                    warmupIterations: 1,
                    maxDuration: .seconds(30),
                    maxIterations: 3,
                    setup: { try await sequential.setUp() },
                    teardown: { await sequential.tearDown() }
                )
            ) { _ in
                try await sequential.writeSequentially(megabytes: 1024)
            }
        }
        let group = AppendFixture(io: io, acknowledgement: .disk, payloadSize: 1024, batchCount: 100)
        Benchmark(
            "append/1KBx100/disk/\(io)/8-concurrent",
            configuration: .init(setup: { try await group.setUp() }, teardown: { await group.tearDown() })
        ) { benchmark in
            for _ in benchmark.scaledIterations {
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    for _ in 0..<8 { tasks.addTask { try await group.appendOneBatch() } }
                    try await tasks.waitForAll()
                }
            }
        }
    }

    // append/1KB/<ack>/<io>/<n>-appenders: n tasks each append single 1 KB messages, one call at a
    // time (one iteration = 100 per appender, so compare `messages/s`, not iterations); `messages
    // per fdatasync` is the median over the run's syncs so far, from the instance's FlushStatistics
    // (group commit under `disk`).
    let perSync = BenchmarkMetric.custom(
        "messages per fdatasync (median)",
        polarity: .prefersLarger,
        useScalingFactor: false
    )
    let rate = BenchmarkMetric.custom("messages/s", polarity: .prefersLarger, useScalingFactor: false)
    for io in IOBackend.allCases {
        for acknowledgement in FlushPolicy.Acknowledgement.allCases {
            for appenders in [1, 16, 64] {
                let fixture = GroupCommitFixture(io: io, acknowledgement: acknowledgement, appenders: appenders)
                Benchmark(
                    "append/1KB/\(acknowledgement)/\(io)/\(appenders)-appenders",
                    configuration: .init(
                        metrics: [.wallClock, .cpuTotal, rate, perSync],
                        setup: { try await fixture.setUp() },
                        teardown: { await fixture.tearDown() }
                    )
                ) { benchmark in
                    let start = ContinuousClock.now
                    var messages = 0
                    for _ in benchmark.scaledIterations {
                        messages += try await fixture.run(perAppender: 100)
                    }
                    let elapsed = (ContinuousClock.now - start) / .microseconds(1)
                    benchmark.measurement(rate, Int(Double(messages) * 1_000_000 / max(1, elapsed)))
                    let median = try await fixture.statistics().medianMessagesPerSync ?? 0
                    benchmark.measurement(perSync, Int(median.rounded()))
                }
            }
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
