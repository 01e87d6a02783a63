import Foundation
import Logging
import Synchronization
import Testing
import TubeMQCore
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

@testable import TubeMQClient

/// How the fetch loop waits on the original broker's refusals.
@Suite struct PartitionFetcherTests {
    /// The original broker serves a filtering consumer only from flushed data; until then it answers
    /// 404 with `minLimitTime` holding a byte delta (385047 seen), which is no wait to honour.
    @Test func notFoundWaitsItsOwnBackoffNotTheBrokersHint() async throws {
        let elapsed = try await timeToFirstBatch { refusal in
            refusal.errCode = 404
            refusal.errMsg = "current offset is exceed max file offset"
        }
        #expect(elapsed < .seconds(10))  // loose for a busy machine; the broker's hint was 385 s
    }

    /// A speed-limit reply (452) is waited out as the broker asks, but never longer than a few seconds
    /// (the upper bound is loose: a machine running the whole suite stretches every wait; the point is
    /// that the broker's 385 s is not honoured).
    @Test func speedLimitHonoursTheBrokersHintCapped() async throws {
        let elapsed = try await timeToFirstBatch { refusal in
            refusal.errCode = 452
            refusal.errMsg = "consume speed limit"
        }
        #expect(
            elapsed >= .milliseconds(2900) && elapsed <= PartitionFetcher.maximumServerWait + .seconds(30),
            "\(elapsed)"
        )
    }

    /// A type-3 rule spaces a filtering consumer's empty fetches by `filterFreqInMs` (1.5 s here,
    /// against a 20 ms back-off of its own); only a lower bound is checked, load only lengthens it.
    @Test func filterFrequencyRuleSpacesEmptyFilteredFetches() async throws {
        let arrivals = Mutex<[ContinuousClock.Instant]>([])
        let broker = try await ScriptedService.start([.brokerRead, .brokerWrite], log: RequestLog()) { _ in
            arrivals.withLock { $0.append(ContinuousClock.now) }
            return RecordedReplies.noData()
        }
        let rpc = RPCClient()
        let handle = PartitionHandle(
            partition: Partition(
                broker: BrokerInfo(id: 1, host: "127.0.0.1", port: broker.localPort),
                topic: "t",
                id: 0
            )
        )
        let flow = FlowLimiter()
        flow.update(
            defaultsVersion: 1,
            defaultsText: #"[{"type":3,"rule":[{"normFreqInMs":0,"filterFreqInMs":1500,"minDataFilterFreqInMs":0}]}]"#,
            groupVersion: -2,
            groupText: ""
        )
        let fetcher = PartitionFetcher(
            handle: handle,
            clientID: "c1",
            group: "g",
            rpc: rpc,
            rpcTimeout: .seconds(60),  // a timed-out call is asked again at once: not the spacing under test
            minimumBackoff: .milliseconds(20),
            maximumBackoff: .milliseconds(50),
            fetchWait: .zero,
            confirmTimeout: nil,
            logger: TestCluster.logger,
            deliver: { _ in true },
            reregister: { _ in true },
            flow: flow,
            filtered: true
        )
        let loop = Task { await fetcher.run() }
        try await withTimeout(.seconds(30), "two fetches") {
            while arrivals.withLock({ $0.count }) < 2 { try await Task.sleep(for: .milliseconds(20)) }
        }
        handle.stop()
        loop.cancel()
        _ = await loop.value
        let times = arrivals.withLock { $0 }
        #expect(times[1] - times[0] >= .milliseconds(1_450))
        await rpc.shutdown()
        await broker.shutdown()
    }

    /// Serves one refusal with `minLimitTime` 385047, then a batch; returns how long the fetch loop waited
    /// between the refused get and the next one.
    private func timeToFirstBatch(
        _ refuse: @escaping @Sendable (inout GetMessageResponseB2C) -> Void
    ) async throws
        -> Duration
    {
        let gets = Mutex(0)
        let arrivals = Mutex<[ContinuousClock.Instant]>([])
        let broker = try await ScriptedService.start([.brokerRead, .brokerWrite], log: RequestLog()) { call in
            arrivals.withLock { $0.append(ContinuousClock.now) }
            let count = gets.withLock {
                $0 += 1
                return $0
            }
            var reply = GetMessageResponseB2C()
            reply.currOffset = -1
            reply.escFlowCtrl = false
            if count == 1 {
                reply.success = false
                reply.minLimitTime = 385_047
                refuse(&reply)
                return reply
            }
            guard count == 2 else { return RecordedReplies.noData() }
            reply.success = true
            reply.errCode = 200
            reply.errMsg = "OK!"
            reply.currOffset = 0
            reply.minLimitTime = 0
            reply.messages = [WireBehaviourTests.transferred("after the refusal", id: 1)]
            return reply
        }
        let rpc = RPCClient()
        let handle = PartitionHandle(
            partition: Partition(
                broker: BrokerInfo(id: 1, host: "127.0.0.1", port: broker.localPort),
                topic: "t",
                id: 0
            )
        )
        let (batches, delivered) = AsyncStream.makeStream(of: ReadyBatch.self)
        let fetcher = PartitionFetcher(
            handle: handle,
            clientID: "c1",
            group: "g",
            rpc: rpc,
            // Long: a call that timed out on a stalled machine (a full run stalled this one 15 s) is
            // asked again after the short back-off, which is not the wait under test.
            rpcTimeout: .seconds(60),
            minimumBackoff: .milliseconds(20),
            maximumBackoff: .milliseconds(50),
            fetchWait: .zero,
            confirmTimeout: nil,
            logger: TestCluster.logger,
            deliver: { batch in
                delivered.yield(batch)
                batch.confirm()
                return true
            },
            reregister: { _ in true },
            flow: FlowLimiter()
        )
        let loop = Task { await fetcher.run() }
        defer {
            handle.stop()
            loop.cancel()
        }
        let batch = try await withTimeout(.seconds(40), "the first batch") {
            var iterator = batches.makeAsyncIterator()
            return await iterator.next()
        }
        let times = arrivals.withLock { $0 }
        let elapsed = times.count >= 2 ? times[1] - times[0] : .seconds(999)
        #expect(batch?.messages.map(\.text) == ["after the refusal"])
        handle.stop()
        loop.cancel()
        _ = await loop.value
        await rpc.shutdown()
        await broker.shutdown()
        return elapsed
    }
}
