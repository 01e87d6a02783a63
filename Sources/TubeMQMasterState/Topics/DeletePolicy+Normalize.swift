public import TubeMQCore

extension DeletePolicy {
    /// Normalises an operator's `deletePolicy` to `delete,<N><unit>`, at most 168 h.
    ///
    /// - Throws: ``MasterError`` with code ``MasterError/Code/illegalValue`` (407) when malformed or too long.
    public static func normalize(_ text: String) throws(MasterError) -> String {
        let policy: DeletePolicy
        do {
            policy = try DeletePolicy(parsing: text)
        } catch {
            throw illegal(text, error.reason)
        }
        guard policy.seconds <= maxSeconds else { throw illegal(text, "the duration must be at most 168h") }
        return policy.text
    }

    private static func illegal(_ text: String, _ reason: String) -> MasterError {
        MasterError(code: .illegalValue, message: "Illegal deletePolicy \"\(text)\": \(reason)")
    }
}
