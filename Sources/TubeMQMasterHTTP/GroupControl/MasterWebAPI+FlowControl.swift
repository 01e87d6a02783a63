import TubeMQCore
import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// Flow control and group resource control (admin-api.md §5.4), and the client-balance group
/// methods of §5.5. The rules are stored with the cluster defaults and the group settings, so they
/// survive a restart, and reach consumers in their heartbeat replies.
extension MasterWebAPI {
    static let flowControlMethods: [MasterWebMethod] =
        [
            .query("admin_query_def_flow_control_rule") { api, _ throws(WebParameterError) in
                Envelope.success(objects: [defaultRuleItem(await api.master.clusterSettings())])
            },
            .modify("admin_set_def_flow_control_rule") { api, p throws(WebParameterError) in
                try await api.changeDefaultRule(p, user: try p.creator())
            },
            .modify("admin_upd_def_flow_control_rule") { api, p throws(WebParameterError) in
                try await api.changeDefaultRule(p, user: try p.modifier())
            },
            .modify("admin_rmv_def_flow_control_rule") { api, p throws(WebParameterError) in
                let user = try p.modifier()
                do throws(MasterError) {
                    let settings = try await api.master.setDefaultFlowControl(
                        enabled: false,
                        rules: FlowControlRules(),
                        qryPriorityID: nil,
                        by: user
                    )
                    return Envelope.success(objects: [defaultRuleItem(settings)])
                } catch {
                    return Envelope.failure(code: Int(error.code.rawValue), error.message)
                }
            },
            .query("admin_query_group_resctrl_info") { api, p throws(WebParameterError) in
                let items = try await api.resourceControls(p).map { name, control in resourceControlItem(name, control)
                }
                return Envelope.success(objects: items)
            },
            .query("admin_query_booked_resctrl_groups") { api, p throws(WebParameterError) in
                // The names of the groups that have a resource-control record (filters as the query above).
                Envelope.success(items: try await api.resourceControls(p).map { .string($0.0) })
            },
            .modify("admin_add_group_resctrl_info") { api, p throws(WebParameterError) in
                try await api.changeResourceControl(p, user: try p.creator(), create: true, oldStatus: false)
            },
            .modify("admin_update_group_resctrl_info") { api, p throws(WebParameterError) in
                try await api.changeResourceControl(p, user: try p.modifier(), create: false, oldStatus: false)
            },
            .modify("admin_delete_group_resctrl_info") { api, p throws(WebParameterError) in
                try await api.deleteResourceControl(p)
            },
            .query("admin_query_group_flow_control_rule") { api, p throws(WebParameterError) in
                let items = try await api.resourceControls(p).map { name, control -> JSONObject in
                    [
                        "groupName": .string(name), "statusId": .int(control.flowControl.enabled ? 1 : 0),
                        "qryPriorityId": .int(control.qryPriorityID),
                        "ruleCnt": .int(control.flowControl.rules.ruleCount),
                        "flowCtrlInfo": rawRules(control.flowControl.rules),
                    ]
                }
                return Envelope.success(objects: items)
            },
            .modify("admin_set_group_flow_control_rule") { api, p throws(WebParameterError) in
                try await api.changeResourceControl(p, user: try p.creator(), create: nil, oldStatus: true)
            },
            .modify("admin_upd_group_flow_control_rule") { api, p throws(WebParameterError) in
                try await api.changeResourceControl(p, user: try p.modifier(), create: false, oldStatus: true)
            },
            .modify("admin_rmv_group_flow_control_rule") { api, p throws(WebParameterError) in
                try await api.deleteResourceControl(p)
            },
            .query("admin_query_consume_group_setting") { api, p throws(WebParameterError) in
                let rate = try p.int32(.oldAllowedBrokerClientRate, range: 0...Int64(Int32.max))
                let items = try await api.resourceControls(p).compactMap { name, control -> JSONObject? in
                    guard rate.map({ $0 == control.allowedBrokerClientRate }) ?? true else { return nil }
                    var item: JSONObject = [
                        "groupName": .string(name), "enableBind": .int(control.resCheckEnable ? 1 : 0),
                        "allowedBClientRate": .int(control.allowedBrokerClientRate), "attributes": "",
                        "lastBindUsedDate": "-",
                    ]
                    item.append(contentsOf: RecordJSON.base(control.stamp))
                    return item
                }
                return Envelope.success(objects: items)
            },
            .modify("admin_add_consume_group_setting") { api, p throws(WebParameterError) in
                try await api.changeConsumeGroupSetting(p, user: try p.creator(), create: nil)
            },
            .modify("admin_upd_consume_group_setting") { api, p throws(WebParameterError) in
                try await api.changeConsumeGroupSetting(p, user: try p.modifier(), create: false)
            },
            .modify("admin_del_consume_group_setting") { api, p throws(WebParameterError) in
                let groups = try p.list(.groupName, required: true)
                let user = try p.modifier()
                var items: [JSONObject] = []
                for group in groups {
                    let failure = await MasterError.capture { () throws(MasterError) in
                        _ = try await api.master.setGroupResourceControl(
                            group: group,
                            GroupResourceControlPatch(resCheckEnable: false, allowedBrokerClientRate: 0),
                            create: false,
                            by: user
                        )
                    }
                    items.append(RecordResult.group(group, failure))
                }
                return Envelope.success(objects: items)
            },
            .query("admin_query_client_balance_group_set") { api, _ throws(WebParameterError) in
                Envelope.success(items: await api.master.clientBalanceGroups().map { .string($0.name) })
            },
            .modify("admin_rebalance_group_allocate") { api, p throws(WebParameterError) in
                let groups = try p.list(.groupName, required: true)
                guard groups.count == 1, let group = groups.first else {
                    throw WebParameterError("Parameter groupName takes one group per call!")
                }
                let consumers = try p.list(.consumerID, required: true)
                let wait = try p.int64(.reJoinWait, range: 0...3_600_000) ?? 0
                _ = try p.modifier()
                do throws(MasterError) {
                    try await api.master.requestRejoin(group: group, consumers: consumers, rejoinWaitMs: wait)
                } catch {
                    return Envelope.failure(code: Int(error.code.rawValue), error.message)
                }
                return Envelope.success()
            },
            .modify("admin_set_client_balance_group_consume_from_max") { api, p throws(WebParameterError) in
                let groups = try p.list(.groupName, required: true)
                _ = try p.string(.modifyUser)
                let online = Set(await api.master.clientBalanceGroups().map(\.name))
                let chosen = groups.filter { online.contains($0) }
                guard !chosen.isEmpty else {
                    return Envelope.failure("all consumer groups are not client balance groups")
                }
                for group in chosen {
                    do throws(MasterError) {
                        try await api.master.setClientBalanceConsumeFromMax(group: group)
                    } catch {
                        return Envelope.failure(code: Int(error.code.rawValue), error.message)
                    }
                }
                return Envelope.success()
            },
        ] + flowControlBatchMethods

    /// The rules as the raw JSON array the queries answer.
    static func rawRules(_ rules: FlowControlRules) -> JSON {
        (try? JSON.parse(rules.json)) ?? .array([])
    }

    /// The old-format default rule item.
    static func defaultRuleItem(_ settings: ClusterSettings) -> JSONObject {
        let flow = settings.flowControl
        return [
            "statusId": .int(flow?.enabled == true ? 1 : 0), "maxMsgSizeInMB": .int(settings.maxMsgSizeInMB),
            "qryPriorityId": .int(settings.qryPriorityID), "ruleCnt": .int(flow?.rules.ruleCount ?? 0),
            "flowCtrlInfo": rawRules(flow?.rules ?? FlowControlRules()),
        ]
    }

    /// A group resource control item.
    static func resourceControlItem(_ name: String, _ control: GroupResourceControl) -> JSONObject {
        var item: JSONObject = [
            "groupName": .string(name), "resCheckEnable": .bool(control.resCheckEnable),
            "alwdBrokerClientRate": .int(control.allowedBrokerClientRate), "qryPriorityId": .int(control.qryPriorityID),
            "flowCtrlEnable": .bool(control.flowControl.enabled),
            "flowCtrlRuleCount": .int(control.flowControl.rules.ruleCount),
            "flowCtrlInfo": rawRules(control.flowControl.rules),
        ]
        item.append(contentsOf: RecordJSON.base(control.stamp))
        return item
    }

    /// The rules of `flowCtrlInfo`, or `nil` when absent.
    static func rules(_ p: WebParameters) throws(WebParameterError) -> FlowControlRules? {
        guard let raw = p.value(.flowCtrlInfo) else { return nil }
        do {
            return try FlowControlRules(json: FormDecoding.decode(Substring(raw)))
        } catch {
            throw WebParameterError("Parameter flowCtrlInfo: \(error.message)")
        }
    }

    /// `statusId` of the old API: 0 or 1.
    static func status(_ p: WebParameters) throws(WebParameterError) -> Bool? {
        try p.int32(.statusID, range: 0...1).map { $0 == 1 }
    }

    func changeDefaultRule(_ p: WebParameters, user: String) async throws(WebParameterError) -> JSONObject {
        let rules = try Self.rules(p)
        let flag = try p.bool(.flowCtrlEnable)
        let enabled = try Self.status(p) ?? flag
        let priority = try p.int32(.qryPriorityID, range: 101...303)
        do {
            let settings = try await master.setDefaultFlowControl(
                enabled: enabled,
                rules: rules,
                qryPriorityID: priority,
                by: user
            )
            return Envelope.success(objects: [Self.defaultRuleItem(settings)])
        } catch {
            return Envelope.failure(code: Int(error.code.rawValue), error.message)
        }
    }

    /// The groups with resource control matching the filters, by name.
    func resourceControls(_ p: WebParameters) async throws(WebParameterError) -> [(String, GroupResourceControl)] {
        let groups = Set(try p.list(.groupName))
        let resCheck = try p.bool(.resCheckEnable)
        let priority = try p.int32(.qryPriorityID)
        let flow = try p.bool(.flowCtrlEnable)
        return await master.groupSettings().compactMap { settings -> (String, GroupResourceControl)? in
            guard let control = settings.resourceControl, groups.isEmpty || groups.contains(settings.name),
                resCheck.map({ $0 == control.resCheckEnable }) ?? true,
                priority.map({ $0 == control.qryPriorityID }) ?? true,
                flow.map({ $0 == control.flowControl.enabled }) ?? true
            else { return nil }
            return (settings.name, control)
        }
    }

    /// Adds or updates resource control for every listed group; `create` `nil` adds or updates
    /// (the old API's set); `oldStatus` reads `statusId` rather than `flowCtrlEnable`.
    func changeResourceControl(
        _ p: WebParameters,
        user: String,
        create: Bool?,
        oldStatus: Bool
    ) async throws(WebParameterError) -> JSONObject {
        let groups = try p.list(.groupName, required: true)
        let enabled = try oldStatus ? Self.status(p) : try p.bool(.flowCtrlEnable)
        let patch = GroupResourceControlPatch(
            resCheckEnable: try p.bool(.resCheckEnable),
            allowedBrokerClientRate: try p.int32(.allowedBrokerClientRate, range: 0...Int64(Int32.max)),
            qryPriorityID: try p.int32(.qryPriorityID, range: 101...303),
            flowControlEnabled: enabled,
            rules: try Self.rules(p)
        )
        var items: [JSONObject] = []
        for group in groups {
            let exists = await master.groupSettings(named: group)?.resourceControl != nil
            let failure = await MasterError.capture { () throws(MasterError) in
                _ = try await master.setGroupResourceControl(group: group, patch, create: create ?? !exists, by: user)
            }
            items.append(RecordResult.group(group, failure))
        }
        return Envelope.success(objects: items)
    }

    /// Consume-group settings (`enableBind`, `allowedBClientRate`): the bind check and rate of the
    /// group's resource control; `create` `nil` adds or updates.
    func changeConsumeGroupSetting(
        _ p: WebParameters,
        user: String,
        create: Bool?
    ) async throws(WebParameterError)
        -> JSONObject
    {
        let groups = try p.list(.groupName, required: true)
        let oldRate = try p.int32(.oldAllowedBrokerClientRate, range: 0...Int64(Int32.max))
        let newRate = try p.int32(.allowedBrokerClientRate, range: 0...Int64(Int32.max))
        let rate = oldRate ?? newRate
        let patch = GroupResourceControlPatch(resCheckEnable: try p.bool(.enableBind), allowedBrokerClientRate: rate)
        var items: [JSONObject] = []
        for group in groups {
            let exists = await master.groupSettings(named: group)?.resourceControl != nil
            let failure = await MasterError.capture { () throws(MasterError) in
                _ = try await master.setGroupResourceControl(group: group, patch, create: create ?? !exists, by: user)
            }
            items.append(RecordResult.group(group, failure))
        }
        return Envelope.success(objects: items)
    }

    func deleteResourceControl(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let groups = try p.list(.groupName, required: true)
        let user = try p.modifier()
        var items: [JSONObject] = []
        for group in groups {
            let failure = await MasterError.capture { () throws(MasterError) in
                try await master.deleteGroupResourceControl(group: group, by: user)
            }
            items.append(RecordResult.group(group, failure))
        }
        return Envelope.success(objects: items)
    }
}
