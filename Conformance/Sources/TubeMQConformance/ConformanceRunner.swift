/// Runs conformance cases one after another against a cluster and reports each one's outcome.
///
/// Each case gets a fresh ``CaseContext`` with a deadline of ``ConformanceSettings/caseTimeout``; when
/// it runs out, the case is cancelled and reported as failed. Either way its clients are shut down
/// before the next case starts, so a case that failed half way leaves no consumer behind.
public struct ConformanceRunner: Sendable {
    /// The settings every case gets.
    public var settings: ConformanceSettings
    /// The cases, in run order.
    public var cases: [any ConformanceCase]
    /// How long cleanup after a case may take before the runner moves on.
    public var cleanupLimit: Duration = .seconds(30)

    /// Creates a runner for `cases` (every case by default).
    public init(settings: ConformanceSettings, cases: [any ConformanceCase] = ConformanceSuite.all) {
        self.settings = settings
        self.cases = cases
    }

    /// The cases `--only` and `--skip` leave, in run order.
    ///
    /// - Parameters:
    ///   - only: case names to run; every case when empty.
    ///   - skip: case names not to run.
    /// - Throws: ``ConformanceError`` `clientFailure` naming any unknown case name.
    public func selection(only: [String] = [], skip: [String] = []) throws(ConformanceError) -> [any ConformanceCase] {
        let known = Set(cases.map(\.name))
        let unknown = (only + skip).filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw ConformanceError(
                .clientFailure,
                "unknown case \(unknown.joined(separator: ", ")); cases are "
                    + cases.map(\.name).joined(separator: ", ")
            )
        }
        return cases.filter { (only.isEmpty || only.contains($0.name)) && !skip.contains($0.name) }
    }

    /// Runs the selected cases in order.
    ///
    /// - Parameter progress: called with each result as soon as its case has ended.
    /// - Throws: ``ConformanceError`` for an unknown case name in `only` or `skip`.
    public func run(
        only: [String] = [],
        skip: [String] = [],
        progress: @Sendable (CaseResult) -> Void = { _ in }
    ) async throws(ConformanceError) -> ConformanceReport {
        var results: [CaseResult] = []
        for item in try selection(only: only, skip: skip) {
            let result = await run(item)
            progress(result)
            results.append(result)
        }
        return ConformanceReport(runID: settings.runID, topic: settings.topic, cases: results)
    }

    /// Waits until the master tells producers about the topic under test (after creating it, for example).
    ///
    /// - Returns: the topic's partition count.
    /// - Throws: ``ConformanceError`` naming the last problem when `limit` passes first.
    public func waitForTopic(within limit: Duration) async throws(ConformanceError) -> Int {
        let end = ContinuousClock.now + limit
        while true {
            let context = CaseContext(settings: settings, caseName: "setup", deadline: end)
            var failure: ConformanceError
            do throws(ConformanceError) {
                let probe = try await ClusterProbe.connect(context)
                await context.cleanUp()
                if !probe.partitions.isEmpty { return probe.partitions.count }
                failure = ConformanceError(.clientFailure, "the topic \(settings.topic) has no partition")
            } catch {
                await context.cleanUp()
                failure = error
            }
            guard ContinuousClock.now < end else { throw failure }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Runs one case with its deadline, then cleans up after it.
    public func run(_ item: any ConformanceCase) async -> CaseResult {
        let start = ContinuousClock.now
        let context = CaseContext(settings: settings, caseName: item.name, deadline: start + settings.caseTimeout)
        let task = Task { () -> ConformanceError? in
            do throws(ConformanceError) {
                try await item.run(context)
                return nil
            } catch {
                return error
            }
        }
        let outcome = await value(of: task, within: settings.caseTimeout)
        if outcome == nil { task.cancel() }
        let cleanup = Task { await context.cleanUp() }
        let cleaned = await value(of: cleanup, within: cleanupLimit) != nil
        if outcome == nil { _ = await value(of: task, within: .seconds(5)) }
        let seconds = (ContinuousClock.now - start).seconds
        let cleanupNote = cleaned ? "" : " (cleanup did not finish within \(Int(cleanupLimit.seconds)) s)"
        switch outcome {
        case nil:
            let limit = Int(settings.caseTimeout.seconds)
            return CaseResult(
                name: item.name,
                status: .failed,
                seconds: seconds,
                reason: "did not finish within the case timeout of \(limit) s\(cleanupNote)"
            )
        case .some(nil):
            if cleaned { return CaseResult(name: item.name, status: .passed, seconds: seconds) }
            return CaseResult(name: item.name, status: .failed, seconds: seconds, reason: "passed\(cleanupNote)")
        case .some(.some(let error)):
            let status: CaseResult.Status = error.code == .skipped ? .skipped : .failed
            return CaseResult(name: item.name, status: status, seconds: seconds, reason: "\(error)\(cleanupNote)")
        }
    }
}
