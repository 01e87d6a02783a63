import Testing

@testable import TubeMQClient

/// The message limit shared by a consumer's fetch loops: reservations never exceed it, what is given
/// back is handed to waiting loops in turn, and a cancelled wait ends.
@Suite struct FetchBudgetTests {
    @Test func reservationsStayWithinTheLimitAndGivenBackGoesToTheFirstWaiter() async throws {
        let budget = FetchBudget(limit: 10)
        #expect(await budget.reserve(upTo: 7) == 7)
        #expect(await budget.reserve(upTo: 7) == 3, "only what is left")
        #expect(budget.remaining == 0)

        let first = Task { await budget.reserve(upTo: 5) }
        while budget.waiting < 1 { await Task.yield() }
        let second = Task { await budget.reserve(upTo: 5) }
        while budget.waiting < 2 { await Task.yield() }
        budget.giveBack(4)  // a fetch brought 3 of its 7
        #expect(await first.value == 4, "the first waiter is served first, with what there is")
        budget.giveBack(2)  // a released batch
        #expect(await second.value == 2)
        #expect(budget.remaining == 0)
    }

    @Test func aBrokerThatSendsMoreThanReservedUsesItUp() async {
        let budget = FetchBudget(limit: 5)
        #expect(await budget.reserve(upTo: 5) == 5)
        budget.giveBack(-3)  // the original broker skips maxCount and sent 8
        budget.giveBack(2)
        #expect(budget.remaining == -1)
    }

    @Test func aCancelledWaitEndsWithNothing() async {
        let budget = FetchBudget(limit: 1)
        #expect(await budget.reserve(upTo: 1) == 1)
        let waiting = Task { await budget.reserve(upTo: 1) }
        while budget.waiting < 1 { await Task.yield() }
        waiting.cancel()
        #expect(await waiting.value == nil)
        budget.giveBack(1)
        #expect(budget.remaining == 1, "the cancelled loop took nothing")
    }
}
