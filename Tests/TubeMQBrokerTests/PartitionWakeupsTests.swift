import Testing

@testable import TubeMQBroker

/// The long poll's wake-ups, without the network: a missed wake-up shows as a wait that runs to its
/// far deadline (120 s), so the checks below (under 60 s) hold however loaded the machine is: a
/// crowded CI machine has delayed a 100 ms sleep by seconds.
@Suite struct PartitionWakeupsTests {
    static let key = PartitionWakeups.Key(topic: "tp", partitionID: 0)
    static var far: ContinuousClock.Instant { .now + .seconds(120) }

    @Test func anAppendBetweenTheTicketAndTheWaitEndsTheWaitAtOnce() async {
        let wakeups = PartitionWakeups()
        let ticket = wakeups.ticket(Self.key)
        wakeups.appended(topic: "tp", partitionIDs: [0])
        let started = ContinuousClock.now
        await wakeups.wait(ticket, until: Self.far)
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(!wakeups.hasWaiters, "the ticket was given back")
    }

    @Test func appendsRacingTheWaitNeverLeaveItParked() async {
        let wakeups = PartitionWakeups()
        let started = ContinuousClock.now
        for round in 0..<300 {
            let ticket = wakeups.ticket(Self.key)
            async let waited: Void = wakeups.wait(ticket, until: Self.far)
            if round % 3 == 0 { await Task.yield() }
            wakeups.appended(topic: "tp", partitionIDs: [0])
            await waited
        }
        #expect(ContinuousClock.now - started < .seconds(60), "a wait ran to its 120 s deadline")
        #expect(!wakeups.hasWaiters)
    }

    @Test func onlyAnAppendToItsOwnPartitionWakesAWait() async throws {
        let wakeups = PartitionWakeups()
        let ticket = wakeups.ticket(Self.key)
        let appends = Task {
            try await Task.sleep(for: .milliseconds(100))
            wakeups.appended(topic: "tp", partitionIDs: [1])
            wakeups.appended(topic: "other", partitionIDs: [0])
            try await Task.sleep(for: .milliseconds(100))
            wakeups.appended(topic: "tp", partitionIDs: [0])
        }
        let started = ContinuousClock.now
        await wakeups.wait(ticket, until: Self.far)
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(200), "woken by another partition's append")
        #expect(elapsed < .seconds(60))
        try await appends.value
    }

    @Test func aWaitWithoutAppendEndsAtItsDeadline() async {
        let wakeups = PartitionWakeups()
        let ticket = wakeups.ticket(Self.key)
        let started = ContinuousClock.now
        await wakeups.wait(ticket, until: .now + .milliseconds(150))
        #expect(ContinuousClock.now - started >= .milliseconds(150))
        #expect(!wakeups.hasWaiters)
    }

    @Test func cancellingTheTaskEndsItsWait() async {
        let wakeups = PartitionWakeups()
        let started = ContinuousClock.now
        let waiter = Task {
            let ticket = wakeups.ticket(Self.key)
            await wakeups.wait(ticket, until: Self.far)
        }
        try? await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await waiter.value
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(!wakeups.hasWaiters)
    }

    /// One sweeper serves every parked wait: a wait with a nearer deadline than those parked before it
    /// ends at its own deadline, not theirs.
    @Test func aNearerDeadlineIsKeptWhileFartherWaitsAreParked() async {
        let wakeups = PartitionWakeups()
        let far = Task { await wakeups.wait(wakeups.ticket(Self.key), until: Self.far) }
        try? await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        await wakeups.wait(
            wakeups.ticket(PartitionWakeups.Key(topic: "tp", partitionID: 1)),
            until: .now + .milliseconds(150)
        )
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(150))
        #expect(elapsed < .seconds(60), "the near wait ran to the far one's deadline")
        wakeups.appended(topic: "tp", partitionIDs: [0])
        await far.value
        #expect(!wakeups.hasWaiters)
    }

    @Test func manyWaitsEndAtTheirDeadlinesWithoutAppends() async {
        let wakeups = PartitionWakeups()
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                let key = PartitionWakeups.Key(topic: "tp", partitionID: Int32(index % 7))
                let deadline = ContinuousClock.now + .milliseconds(100 + (index % 5) * 40)
                group.addTask { await wakeups.wait(wakeups.ticket(key), until: deadline) }
            }
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(260))
        #expect(elapsed < .seconds(60))
        #expect(!wakeups.hasWaiters)
    }
}
