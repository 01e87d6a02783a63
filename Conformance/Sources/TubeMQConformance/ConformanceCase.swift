/// One behaviour a TubeMQ cluster must show, checked end to end against a running cluster.
///
/// A case is independent of the others: it uses its own consumer groups (``CaseContext/group(_:)``),
/// tags what it sends with the run id, ignores everything else on the shared topic, and leaves its
/// groups when it ends (the context shuts its clients down). It asserts only what the TubeMQ protocol
/// specifies, so it passes against the original Java server as well as against this project's.
public protocol ConformanceCase: Sendable {
    /// The case's name, as `--only` and `--skip` take it (lowercase words joined by `_`).
    var name: String { get }
    /// One line saying what the case checks.
    var summary: String { get }
    /// Runs the case.
    ///
    /// - Throws: ``ConformanceError``: `violation` when the cluster misbehaved, `skipped` when the case does
    ///   not apply, `clientFailure` when a call the case needed failed.
    func run(_ context: CaseContext) async throws(ConformanceError)
}
