import Testing
import TubeMQMaster

@Suite struct ClockTests {
    @Test func systemClockIsNearTheWallClock() {
        let now = SystemClock().now()
        #expect(now > 1_700_000_000_000)
    }
}
