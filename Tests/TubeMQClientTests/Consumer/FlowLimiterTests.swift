import Synchronization
import Testing
import TubeMQCore

@testable import TubeMQClient

/// The consumer's flow-control pacing, on an injected clock (no real waiting).
@Suite struct FlowLimiterTests {
    /// A clock the test moves by hand.
    final class TestTime: Sendable {
        /// 16:00 in UTC+8, inside every rule window of these tests.
        let millis = Mutex<Int64>(1_800_000_000_000)
        func advance(_ ms: Int64) { millis.withLock { $0 += ms } }
        var clock: @Sendable () -> Int64 { { self.millis.withLock { $0 } } }
    }

    static let sixPerMinute =
        #"[{"type":0,"rule":[{"start":"00:00","end":"23:59","dltInM":0,"limitInM":6,"freqInMs":200}]}]"#
    static let filterRule =
        #"[{"type":3,"rule":[{"normFreqInMs":100,"filterFreqInMs":400,"minDataFilterFreqInMs":250}]}]"#

    @Test func dataLimitPacesBytesPerMinute() {
        let time = TestTime()
        let limiter = FlowLimiter(clock: time.clock)
        limiter.update(defaultsVersion: 7, defaultsText: Self.sixPerMinute, groupVersion: -2, groupText: "")
        #expect(limiter.versions.defaults == 7)
        #expect(limiter.delay() == nil)  // one second's worth is there at first
        // 6 MB/min is 104,857.6 B/s: two seconds' worth leaves one second to wait.
        limiter.consumed(bytes: 209_715, lagBytes: 0)
        let wait = limiter.delay()
        #expect(wait.map { $0 >= .milliseconds(990) && $0 <= .milliseconds(1_010) } == true)
        time.advance(500)
        #expect(limiter.delay().map { $0 >= .milliseconds(490) && $0 <= .milliseconds(510) } == true)
        time.advance(510)
        #expect(limiter.delay() == nil)
        // The default rules do not make the fetches skip the broker's rules.
        #expect(!limiter.groupLimits)
    }

    @Test func dataLimitAppliesFromItsLagAndGroupRulesComeFirst() {
        let time = TestTime()
        let limiter = FlowLimiter(clock: time.clock)
        let fromTenMB =
            #"[{"type":0,"rule":[{"start":"00:00","end":"23:59","dltInM":10,"limitInM":1,"freqInMs":200}]}]"#
        limiter.update(defaultsVersion: -2, defaultsText: "", groupVersion: 3, groupText: fromTenMB)
        limiter.consumed(bytes: 5_000_000, lagBytes: 1_048_576)
        #expect(limiter.delay() == nil)  // 1 MB behind: the rule does not apply
        #expect(!limiter.groupLimits)
        limiter.consumed(bytes: 5_000_000, lagBytes: 11 * 1_048_576)
        #expect(limiter.groupLimits)
        #expect(limiter.delay() != nil)
        // A version of -2 clears the group's rules.
        limiter.update(defaultsVersion: -2, defaultsText: "", groupVersion: -2, groupText: "")
        #expect(limiter.versions.group == -2)
        #expect(!limiter.groupLimits)
        #expect(limiter.delay() == nil)
    }

    @Test func zeroFetchWaitAfterItsCount() {
        let limiter = FlowLimiter(clock: TestTime().clock)
        let rule = #"[{"type":1,"rule":[{"zeroCnt":3,"freqInMs":500},{"zeroCnt":8,"freqInMs":2000}]}]"#
        limiter.update(defaultsVersion: 1, defaultsText: rule, groupVersion: -2, groupText: "")
        #expect(limiter.zeroFetchWait(emptyFetches: 2) == nil)
        #expect(limiter.zeroFetchWait(emptyFetches: 3) == .milliseconds(500))
        #expect(limiter.zeroFetchWait(emptyFetches: 9) == .milliseconds(2_000))
    }

    @Test func filterFrequencySpacesFetches() {
        let limiter = FlowLimiter(clock: TestTime().clock)
        #expect(limiter.requestWait(filtered: true, foundData: false) == nil)
        limiter.update(defaultsVersion: 1, defaultsText: Self.filterRule, groupVersion: -2, groupText: "")
        #expect(limiter.requestWait(filtered: false, foundData: false) == .milliseconds(100))
        #expect(limiter.requestWait(filtered: true, foundData: false) == .milliseconds(400))
        #expect(limiter.requestWait(filtered: true, foundData: true) == .milliseconds(250))
        #expect(limiter.requestWait(filtered: false, foundData: true) == nil)
        // The group's type-3 rule replaces the default one; zero means no wait.
        let groupRule =
            #"[{"type":3,"rule":[{"normFreqInMs":0,"filterFreqInMs":50,"minDataFilterFreqInMs":60}]}]"#
        limiter.update(defaultsVersion: 1, defaultsText: Self.filterRule, groupVersion: 2, groupText: groupRule)
        #expect(limiter.requestWait(filtered: false, foundData: false) == nil)
        #expect(limiter.requestWait(filtered: true, foundData: false) == .milliseconds(50))
        #expect(limiter.requestWait(filtered: true, foundData: true) == .milliseconds(60))
    }

    @Test func sameVersionOrBadTextKeepsTheRules() {
        let limiter = FlowLimiter(clock: TestTime().clock)
        limiter.update(defaultsVersion: 1, defaultsText: Self.filterRule, groupVersion: -2, groupText: "")
        limiter.update(defaultsVersion: 1, defaultsText: "[]", groupVersion: -2, groupText: "")
        #expect(limiter.requestWait(filtered: true, foundData: false) == .milliseconds(400))
        limiter.update(defaultsVersion: 2, defaultsText: "[{\"type\":9}]", groupVersion: -2, groupText: "")
        #expect(limiter.requestWait(filtered: true, foundData: false) == .milliseconds(400))
        #expect(limiter.versions.defaults == 1)
    }
}
