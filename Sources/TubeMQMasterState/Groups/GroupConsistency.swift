/// The checks a consumer's registration must pass against the group it joins (errors 424–429).
enum GroupConsistency {
    /// Throws the first inconsistency between `request` and `group`, whose other members fixed it.
    static func check(_ request: ConsumerRegistration, against group: ConsumerGroup) throws(MasterError) {
        let who = "Consumer \(request.clientID) of group \(group.name)"
        switch (request.bound, group.bound) {
        case (nil, .some):
            throw MasterError(
                code: .inconsistentConsumeType,
                message: "\(who) requests unbound consumption, but the group consumes bound!"
            )
        case (.some, nil):
            throw MasterError(
                code: .inconsistentConsumeType,
                message: "\(who) requests bound consumption, but the group consumes unbound!"
            )
        default:
            break
        }
        guard request.topics == group.topics else {
            throw MasterError(
                code: .inconsistentTopicSet,
                message:
                    "\(who) subscribes topics \(list(request.topics)), but the group subscribes \(list(group.topics))!"
            )
        }
        guard normalized(request.filters) == group.filters else {
            throw MasterError(
                code: .inconsistentFilterSet,
                message:
                    "\(who) filters \(describe(request.filters)), but the group filters \(describe(group.filters))!"
            )
        }
        guard let bound = request.bound, let session = group.bound else { return }
        guard bound.sessionKey == session.sessionKey else {
            throw MasterError(
                code: .inconsistentSessionKey,
                message: "\(who) uses session key \(bound.sessionKey), but the group uses \(session.sessionKey)!"
            )
        }
        guard bound.selectBig == session.selectBig else {
            throw MasterError(
                code: .inconsistentSelectBig,
                message: "\(who) sets selectBig=\(bound.selectBig), but the group uses \(session.selectBig)!"
            )
        }
        guard bound.totalCount == session.totalCount else {
            throw MasterError(
                code: .inconsistentSourceCount,
                message: "\(who) sets totalCount=\(bound.totalCount), but the group uses \(session.totalCount)!"
            )
        }
    }

    /// Filters without empty entries.
    static func normalized(_ filters: [String: Set<String>]) -> [String: Set<String>] {
        filters.filter { !$0.value.isEmpty }
    }

    private static func list(_ topics: Set<String>) -> String { "[" + topics.sorted().joined(separator: ",") + "]" }

    private static func describe(_ filters: [String: Set<String>]) -> String {
        let normalized = normalized(filters)
        if normalized.isEmpty { return "nothing" }
        return normalized.keys.sorted().map { "\($0)#\(normalized[$0, default: []].sorted().joined(separator: ","))" }
            .joined(separator: ";")
    }
}
