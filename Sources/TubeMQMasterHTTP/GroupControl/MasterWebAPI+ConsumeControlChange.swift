import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// What a consume-control write asks for, validated: the single calls and each item of their batch
/// forms read their parameters into one of these, and every batch item is read before any is applied.
///
/// Group consume control (`admin_*_group_csmctrl_info`), the old blacklist
/// (`admin_*_black_consumergroup_info`) and the old filter conditions (`admin_*_group_filtercond_info`)
/// are three APIs over the same records: a group's ``TubeMQMasterState/GroupSettings/consumeDisabled``
/// and ``TubeMQMasterState/GroupSettings/consumeFilters`` per topic.
struct ConsumeControlChange: Sendable {
    /// Which API the parameters are read for; it says which parameters are read and their defaults.
    enum Form: Sendable {
        /// `consumeEnable`, `disableCsmRsn`, `filterEnable`, `filterConds` (consume control).
        case consumeControl
        /// Forbids consumption with the given reason; filters are left as they are (the blacklist).
        case blacklist(reason: String)
        /// `condStatus` (2 turns filtering on, 0 and 1 off), `filterConds` (the filter conditions).
        case filterConditions
    }

    /// The groups; the change applies to every (group, topic) pair.
    var groups: [String]
    /// The topics, each deployed somewhere.
    var topics: [String]
    /// Allows (`true`) or forbids (`false`) consumption; `nil` leaves it as it is.
    var enabled: Bool?
    /// Why consumption is forbidden (recorded when `enabled` is false).
    var reason: String
    /// Restricts to filtered consumption with ``conditions`` (`true`) or lifts that (`false`); `nil`
    /// leaves it as it is.
    var filtering: Bool?
    /// The filter items allowed while filtering.
    var conditions: Set<String>
    /// The operator.
    var user: String
}

/// What a consume-control delete asks for, validated (the single deletes and each item of their
/// batch forms): which restrictions of which (group, topic) pairs go.
struct ConsumeRelease: Sendable {
    /// The groups; empty means every group holding a restriction on the topics.
    var groups: [String]
    /// The topics; empty means every topic the groups hold a restriction on.
    var topics: [String]
    /// Allows consumption again (the blacklist and consume-control deletes).
    var allowing: Bool
    /// Lifts the filter restriction (the consume-control and filter-condition deletes).
    var unfiltering: Bool
    /// The operator.
    var user: String
}

extension MasterWebAPI {
    /// Reads a consume-control add (`adding`: `createUser` required, absent values take their add
    /// defaults) or update (`modifyUser`; absent values leave the records as they are) in `form`.
    ///
    /// `topicName` (each deployed) and `groupName` are required lists. An add without
    /// `consumeEnable` allows consumption, and one that does not turn filtering on lifts the filter
    /// restriction (TubeMQ's defaults); a blacklist add forbids and leaves filters alone.
    ///
    /// - Throws: ``TubeMQWebSupport/WebParameterError`` for a missing or malformed parameter, a topic
    ///   not deployed, `filterConds` with filtering off, or `filterConds` alone for a pair that is not
    ///   restricted to filtered consumption (it would silently stay unrestricted).
    func consumeControlChange(
        _ p: WebParameters,
        adding: Bool,
        form: ConsumeControlChange.Form = .consumeControl
    ) async throws(WebParameterError) -> ConsumeControlChange {
        let user = adding ? try p.creator() : try p.modifier()
        let topics = try await deployedTopics(p)
        let groups = try p.list(.groupName, required: true)
        var change = ConsumeControlChange(
            groups: groups,
            topics: topics,
            enabled: nil,
            reason: "",
            filtering: nil,
            conditions: [],
            user: user
        )
        let switchName: String
        switch form {
        case .blacklist(let reason):
            change.enabled = false
            change.reason = reason
            return change
        case .consumeControl:
            change.enabled = try p.bool(.consumeEnable) ?? (adding ? true : nil)
            change.reason = try p.string(.disableReason) ?? ""
            change.filtering = try p.bool(.filterEnable)
            switchName = "filterEnable=true"
        case .filterConditions:
            change.filtering = try p.int32(.condStatus, range: 0...2).map { $0 == 2 }
            switchName = "condStatus=2"
        }
        let conditions = try p.list(.filterConds)
        change.conditions = Set(conditions)
        if adding, change.filtering == nil { change.filtering = false }
        if change.filtering == false, !conditions.isEmpty {
            throw WebParameterError("Parameter filterConds given without \(switchName)!")
        }
        if change.filtering == nil, !conditions.isEmpty {
            // An update naming new conditions only: they replace those of pairs already restricted;
            // a pair that is not would silently stay unrestricted, so that is refused.
            for group in groups {
                let restricted = await master.groupSettings(named: group)?.consumeFilters ?? [:]
                for topic in topics where restricted[topic] == nil {
                    throw WebParameterError(
                        "Parameter filterConds given without \(switchName), and group \(group) is not "
                            + "restricted to filtered consumption of topic \(topic)!"
                    )
                }
            }
            change.filtering = true
        }
        return change
    }

    /// Applies a validated change to every (group, topic) pair; answers the per-record items (group
    /// and topic family). A pair whose consumption could not be set keeps its filters.
    func apply(_ change: ConsumeControlChange) async -> [JSONObject] {
        var items: [JSONObject] = []
        for group in change.groups {
            for topic in change.topics {
                let failure = await MasterError.capture { () throws(MasterError) in
                    if let enabled = change.enabled {
                        _ = try await master.setGroupConsume(
                            group: group,
                            topic: topic,
                            enabled: enabled,
                            reason: change.reason,
                            by: change.user
                        )
                    }
                    if let filtering = change.filtering {
                        _ = try await master.setGroupConsumeFilter(
                            group: group,
                            topic: topic,
                            allowed: filtering ? change.conditions : nil,
                            by: change.user
                        )
                    }
                }
                items.append(RecordResult.groupTopic(group: group, topic: topic, failure))
            }
        }
        return items
    }

    /// Reads a consume-control delete: the `topicName` and `groupName` lists (`required` names those
    /// that must be given: one for the single calls, both for an item of a batch, as in TubeMQ, so that
    /// an item missing one never stands for every group or every topic) and `modifyUser`.
    ///
    /// - Throws: ``TubeMQWebSupport/WebParameterError`` for a missing or malformed parameter.
    func consumeRelease(
        _ p: WebParameters,
        required: Set<WebField>,
        allowing: Bool,
        unfiltering: Bool
    ) throws(WebParameterError) -> ConsumeRelease {
        ConsumeRelease(
            groups: try p.list(.groupName, required: required.contains(.groupName)),
            topics: try p.list(.topicName, required: required.contains(.topicName)),
            allowing: allowing,
            unfiltering: unfiltering,
            user: try p.modifier()
        )
    }

    /// Lifts the restrictions a release names: of the listed topics for the listed groups; with no
    /// groups, for every group holding such a restriction on them; with no topics, every topic the
    /// listed groups hold one on. Answers the per-record items (group and topic family): one per pair
    /// named, a pair without such a restriction answered as done and left untouched (changing it would
    /// stamp the group's other records with this operator).
    func apply(_ release: ConsumeRelease) async -> [JSONObject] {
        let all = await master.groupSettings()
        var items: [JSONObject] = []
        for group in release.groups.isEmpty ? all.map(\.name) : release.groups {
            var held = Set<String>()
            if let settings = all.first(where: { $0.name == group }) {
                if release.allowing { held.formUnion(settings.consumeDisabled.keys) }
                if release.unfiltering { held.formUnion(settings.consumeFilters.keys) }
            }
            for topic in release.topics.isEmpty ? held.sorted() : release.topics {
                if held.contains(topic) {
                    let change = ConsumeControlChange(
                        groups: [group],
                        topics: [topic],
                        enabled: release.allowing ? true : nil,
                        reason: "",
                        filtering: release.unfiltering ? false : nil,
                        conditions: [],
                        user: release.user
                    )
                    items += await apply(change)
                } else if !release.groups.isEmpty {
                    items.append(RecordResult.groupTopic(group: group, topic: topic, nil))
                }
            }
        }
        return items
    }
}
