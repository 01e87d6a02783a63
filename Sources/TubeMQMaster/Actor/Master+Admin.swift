import TubeMQMasterState

extension Master {
    /// Runs one admin mutation: checks the master is running, calls `body` with the state and the
    /// clock's time, re-arms the timer, reads the answer with `result` before anything can
    /// interleave, then persists the directives.
    ///
    /// - Throws: the mutation's ``TubeMQMasterState/MasterError``; 510 when stopped; 501 when the
    ///   store fails (the change stays applied).
    func administer<Result>(
        _ body: (inout MasterState, Int64) throws(MasterError) -> [MasterDirective],
        result: (MasterState, [MasterDirective]) throws(MasterError) -> Result
    ) async throws(MasterError) -> Result {
        try checkRunning()
        if storeDirty {
            // Earlier changes are not saved yet: save them first, and apply nothing more while the
            // store cannot write (each would be lost at the next start, and more would pile up).
            do throws(MasterError) {
                try await perform([])
            } catch {
                throw .storeStillFailing(error)
            }
        }
        let directives = try body(&state, clock.now())
        let answer = try result(state, directives)
        rearmTimer()
        try await perform(directives)
        return answer
    }
}

extension [MasterDirective] {
    /// The broker record the directives stored last, if any.
    var storedBroker: BrokerRecord? {
        for directive in reversed() {
            if case .persistBroker(let config) = directive { return config }
        }
        return nil
    }

    /// The topic the directives stored last, if any.
    var storedTopic: Topic? {
        for directive in reversed() {
            if case .persistTopic(let topic) = directive { return topic }
        }
        return nil
    }
}
