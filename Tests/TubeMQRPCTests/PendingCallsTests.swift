import NIOCore
import Testing

@testable import TubeMQRPC

/// The pending-call table arms one timer for the earliest deadline and expires calls only when that
/// timer fires; times are passed in, so nothing here waits.
@Suite struct PendingCallsTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func onlyAnEarlierDeadlineArmsATimer() {
        var calls = PendingCalls<Int>()
        #expect(
            calls.insert(1, serial: 1, deadline: Self.start + .seconds(10), timeout: .seconds(10)) == Self.start
                + .seconds(10)
        )
        #expect(calls.insert(2, serial: 2, deadline: Self.start + .seconds(11), timeout: .seconds(10)) == nil)
        #expect(
            calls.insert(3, serial: 3, deadline: Self.start + .seconds(1), timeout: .seconds(1)) == Self.start
                + .seconds(1)
        )
        #expect(calls.armedDeadline == Self.start + .seconds(1))
        #expect(calls.count == 3)
    }

    @Test func aSupersededTimerDoesNothing() {
        var calls = PendingCalls<Int>()
        _ = calls.insert(1, serial: 1, deadline: Self.start + .seconds(10), timeout: .seconds(10))
        _ = calls.insert(2, serial: 2, deadline: Self.start + .seconds(1), timeout: .seconds(1))
        let (expired, rearm) = calls.expire(timerArmedFor: Self.start + .seconds(10), now: Self.start + .seconds(10))
        #expect(expired.isEmpty)
        #expect(rearm == nil)
        #expect(calls.count == 2, "the live timer (1 s) still watches both calls")
    }

    @Test func theArmedTimerExpiresLateCallsAndArmsTheNext() {
        var calls = PendingCalls<Int>()
        _ = calls.insert(1, serial: 1, deadline: Self.start + .seconds(10), timeout: .seconds(10))
        _ = calls.insert(2, serial: 2, deadline: Self.start + .seconds(1), timeout: .seconds(1))
        _ = calls.insert(3, serial: 3, deadline: Self.start + .seconds(5), timeout: .seconds(5))
        let (expired, rearm) = calls.expire(timerArmedFor: Self.start + .seconds(1), now: Self.start + .seconds(2))
        #expect(expired.map(\.waiter) == [2])
        #expect(expired.first?.timeout == .seconds(1))
        #expect(rearm == Self.start + .seconds(5))
        #expect(calls.remove(serial: 3)?.waiter == 3, "a reply removes its call")
        let (second, next) = calls.expire(timerArmedFor: Self.start + .seconds(5), now: Self.start + .seconds(5))
        #expect(second.isEmpty, "the 5 s call already had its reply")
        #expect(next == Self.start + .seconds(10))
        let (last, none) = calls.expire(timerArmedFor: Self.start + .seconds(10), now: Self.start + .seconds(10))
        #expect(last.map(\.waiter) == [1])
        #expect(none == nil)
        #expect(calls.insert(4, serial: 4, deadline: Self.start + .seconds(20), timeout: .seconds(10)) != nil)
    }

    @Test func removeAllTakesEveryCallOnce() {
        var calls = PendingCalls<Int>()
        for serial: UInt32 in 1...5 {
            _ = calls.insert(
                Int(serial),
                serial: serial,
                deadline: Self.start + .seconds(Int64(serial)),
                timeout: .seconds(1)
            )
        }
        #expect(calls.removeAll().map(\.waiter).sorted() == [1, 2, 3, 4, 5])
        #expect(calls.removeAll().isEmpty)
        #expect(calls.remove(serial: 1) == nil)
        #expect(calls.armedDeadline == nil)
    }
}
