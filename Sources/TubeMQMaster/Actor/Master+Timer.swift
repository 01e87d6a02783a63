import Logging
import TubeMQMasterState

/// The master's one timer: the task sleeping until the armed deadline, and which arming it serves.
struct TimerSlot {
    var task: Task<Void, Never>?
    var deadline: Int64?
    var generation: UInt64 = 0
}

extension Master {
    /// Arms the timer for the state's next deadline unless it is already armed for that time or an
    /// earlier one. Called after every call that may move the deadline earlier.
    ///
    /// A later deadline is left alone: the timer wakes at the armed time, finds nothing due, and
    /// arms again for the current deadline.
    func rearmTimer() {
        guard lifecycle == .running else { return }
        let deadline = state.nextDeadline
        if let armed = timer.deadline, armed <= deadline { return }
        timer.task?.cancel()
        timer.generation += 1
        timer.deadline = deadline
        let generation = timer.generation
        let clock = self.clock
        timer.task = Task { [weak self] in
            do {
                try await clock.sleep(until: deadline)
            } catch {
                return
            }
            await self?.timerFired(generation: generation)
        }
    }

    private func timerFired(generation: UInt64) async {
        guard lifecycle == .running, generation == timer.generation else { return }
        // This task is done sleeping: re-arming must start a new task, not cancel this one while it
        // persists what the tick changed.
        timer.task = nil
        timer.deadline = nil
        await _runDueWork()
    }

    /// Checks each group's topics with `check` before every balance round: a topic it returns for a
    /// group gives that group no partitions, so members already running lose them (`ONLY_DISCONNECT`)
    /// when a grant is withdrawn, and get them back when it is given again.
    public func authorizeConsumption(
        with check: @escaping @Sendable (_ group: String, _ topics: Set<String>) -> Set<String>
    ) {
        consumeAuthorization = check
    }

    /// Runs what is due now (expiries, a balance round), persists what changed, and re-arms the
    /// timer. The timer calls it; tests driving a ``ManualClock`` may call it after advancing the
    /// clock to make sure the due work has run before they go on. Running it when nothing is due
    /// does nothing.
    public func _runDueWork() async {
        guard lifecycle == .running else { return }
        let now = clock.now()
        guard now >= state.nextDeadline else {
            rearmTimer()
            return
        }
        if let check = consumeAuthorization {
            // A grant withdrawn takes the group's partitions of the topic in this round.
            state.setUnauthorizedTopics(
                Dictionary(uniqueKeysWithValues: state.groups.map { ($0.name, check($0.name, $0.topics)) })
            )
        }
        let result = state.tick(now: now)
        if let report = result.balance {
            log(report)
            metrics.countBalance(events: report.events.count)
        }
        rearmTimer()
        await performLoggingFailures(result.directives)
    }

    private func log(_ report: BalanceReport) {
        guard !report.events.isEmpty else {
            logger.trace("balance round without events", metadata: ["tubemq.rebalanceId": "\(report.rebalanceID)"])
            return
        }
        for planned in report.events {
            logger.info(
                "rebalance event planned",
                metadata: [
                    "tubemq.group": "\(planned.group)",
                    "tubemq.client": "\(planned.consumerID)",
                    "tubemq.event": "\(planned.event)",
                    "tubemq.waitsForDisconnects": "\(planned.waitsForDisconnects)",
                ]
            )
        }
    }
}
