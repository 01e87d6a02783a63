/// Why a conformance case did not pass: the cluster misbehaved, the case could not run, or it ran out of time.
///
/// Cases throw it; the runner turns it into a ``CaseResult``. ``code`` decides the status
/// (`skipped` for ``Code/skipped``, `failed` otherwise) and ``message`` becomes the reason.
public struct ConformanceError: Error, Sendable, CustomStringConvertible {
    /// The kind of outcome. Extensible: compare with the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String

        /// The cluster did not behave as TubeMQ must (a wrong code, a lost or duplicated message, …).
        public static let violation = Code(name: "violation")
        /// A client call the case needed failed (connection refused, refused registration, …).
        public static let clientFailure = Code(name: "clientFailure")
        /// The case did not finish within its time limit.
        public static let timeout = Code(name: "timeout")
        /// The case does not apply to this cluster or topic (for example a topic with too few partitions).
        public static let skipped = Code(name: "skipped")

        public var description: String { name }
    }

    /// The kind of outcome.
    public var code: Code
    /// What happened, in words a reader of the report understands.
    public var message: String
    /// The error that caused this one, if any.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// A behaviour the cluster got wrong.
    public static func violation(_ message: String) -> ConformanceError { ConformanceError(.violation, message) }

    /// A case that does not apply.
    public static func skipped(_ message: String) -> ConformanceError { ConformanceError(.skipped, message) }

    public var description: String {
        guard let underlying else { return message }
        return "\(message): \(underlying)"
    }
}

/// Fails the case with ``ConformanceError/Code/violation`` unless `condition` holds.
///
/// - Throws: ``ConformanceError`` with `message` when `condition` is false.
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(ConformanceError) {
    guard condition else { throw .violation(message()) }
}

/// Runs a client step, turning any error it throws into a ``ConformanceError`` that names the step.
///
/// A ``ConformanceError`` thrown inside passes through unchanged.
/// - Throws: ``ConformanceError`` with code `clientFailure` (or the inner one).
func step<T>(_ what: String, _ body: () async throws -> T) async throws(ConformanceError) -> T {
    do {
        return try await body()
    } catch let error as ConformanceError {
        throw error
    } catch is CancellationError {
        throw ConformanceError(.timeout, "cancelled during \(what)")
    } catch {
        throw ConformanceError(.clientFailure, what, underlying: error)
    }
}
