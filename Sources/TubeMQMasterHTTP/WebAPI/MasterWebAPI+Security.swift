import TubeMQMaster
import TubeMQWebSupport

/// Consumer-group authorisation (admin-api.md §5.5: topic authorisation control and allowed groups)
/// and, ours, the users clients authenticate as. Passwords are write-only: no method returns one.
extension MasterWebAPI {
    static let isEnable = WebField("isEnable", "isEnable")
    static let userName = WebField("userName", "userName", maxLength: 64)
    static let password = WebField("password", "password", maxLength: 128)
    static let publishTopics = WebField("topicNameSet", "topicNameSet")

    static let securityMethods: [MasterWebMethod] = [
        .query("admin_query_topic_authorize_control") { api, p throws(WebParameterError) in
            let security = try api.requireSecurity()
            let wanted = Set(try p.list(.topicName))
            let items = security.grants.all.sorted { $0.key < $1.key }.compactMap { topic, control -> JSONObject? in
                guard wanted.isEmpty || wanted.contains(topic) else { return nil }
                return ["topicName": .string(topic), "isEnable": .bool(control.isEnabled)]
            }
            return Envelope.success(objects: items)
        },
        .modify("admin_set_topic_authorize_control") { api, p throws(WebParameterError) in
            let enable = try p.bool(isEnable) ?? false
            return try await api.changeGrants(p, deployedOnly: true) { $0.isEnabled = enable }
        },
        .modify("admin_bath_add_topic_authorize_control") { api, p throws(WebParameterError) in
            let enable = try p.bool(isEnable) ?? false
            return try await api.changeGrants(p, deployedOnly: true) { $0.isEnabled = enable }
        },
        .modify("admin_delete_topic_authorize_control") { api, p throws(WebParameterError) in
            try await api.changeGrants(p) { $0 = .init() }
        },
        .modify("admin_add_authorized_consumergroup_info") { api, p throws(WebParameterError) in
            let groups = try p.list(.groupName, required: true)
            return try await api.changeGrants(p, deployedOnly: true) { $0.groups.formUnion(groups) }
        },
        .modify("admin_bath_add_authorized_consumergroup_info") { api, p throws(WebParameterError) in
            let groups = try p.list(.groupName, required: true)
            return try await api.changeGrants(p, deployedOnly: true) { $0.groups.formUnion(groups) }
        },
        .modify("admin_delete_allowed_consumer_group_info") { api, p throws(WebParameterError) in
            let groups = try p.list(.groupName)
            return try await api.changeGrants(p) { groups.isEmpty ? $0.groups.removeAll() : $0.groups.subtract(groups) }
        },
        .modify("admin_batch_del_authorized_consumergroup_info") { api, p throws(WebParameterError) in
            let groups = try p.list(.groupName)
            return try await api.changeGrants(p) { groups.isEmpty ? $0.groups.removeAll() : $0.groups.subtract(groups) }
        },
        .query("admin_query_allowed_consumer_group_info") { api, p throws(WebParameterError) in
            let security = try api.requireSecurity()
            let topics = Set(try p.list(.topicName))
            let groups = Set(try p.list(.groupName))
            var items: [JSONObject] = []
            for (topic, control) in security.grants.all.sorted(by: { $0.key < $1.key })
            where topics.isEmpty || topics.contains(topic) {
                for group in control.groups.sorted() where groups.isEmpty || groups.contains(group) {
                    items.append(["topicName": .string(topic), "groupName": .string(group)])
                }
            }
            return Envelope.success(objects: items)
        },
        .query("admin_query_auth_user") { api, _ throws(WebParameterError) in
            let security = try api.requireSecurity()
            let items = security.users.names.map { name -> JSONObject in
                let topics = security.users.user(name)?.publishTopics
                return [
                    "userName": .string(name),
                    "topicNameSet": .string(topics.map { $0.sorted().joined(separator: ",") } ?? "*"),
                ]
            }
            return Envelope.success(objects: items)
        },
        .modify("admin_add_auth_user") { api, p throws(WebParameterError) in
            let security = try api.requireSecurity()
            let name = try p.requiredString(userName)
            let secret = try p.requiredString(password)
            let topics = try p.list(publishTopics)
            // Each is written into the users file: a topic name, or `*` for every topic.
            if let bad = topics.first(where: { $0 != "*" && !WebField.Rule.topicName.accepts($0) }) {
                throw WebParameterError("Parameter topicNameSet has an illegal topic name: \(bad)")
            }
            let user = UserDirectory.User(
                name: name,
                password: secret,
                publishTopics: topics.isEmpty || topics == ["*"] ? nil : Set(topics)
            )
            do throws(UserDirectoryError) {
                try await security.users.upsert(user)
            } catch {
                throw WebParameterError(error.message)
            }
            return Envelope.success()
        },
        .modify("admin_delete_auth_user") { api, p throws(WebParameterError) in
            let security = try api.requireSecurity()
            let name = try p.requiredString(userName)
            let removed: Bool
            do throws(UserDirectoryError) {
                removed = try await security.users.remove(name)
            } catch {
                throw WebParameterError(error.message)
            }
            guard removed else { throw WebParameterError("user \(name) not found") }
            return Envelope.success()
        },
    ]

    func requireSecurity() throws(WebParameterError) -> MasterSecurity {
        guard let security else { throw WebParameterError("permission checks are not configured on this master") }
        return security
    }

    /// Applies `change` to the control of every topic of the required `topicName` list, and keeps
    /// the topic's control record (`enableAuthControl`, which the topic views show) in step: in
    /// TubeMQ they are one flag, and the views said "off" after control was turned on. With
    /// `deployedOnly` (changes that grant or turn control on), every topic must be deployed: a grant
    /// on a mistyped name would be accepted and guard nothing.
    func changeGrants(
        _ p: WebParameters,
        deployedOnly: Bool = false,
        _ change: @escaping @Sendable (inout TopicGrants.Control) -> Void
    ) async throws(WebParameterError) -> JSONObject {
        let security = try requireSecurity()
        let topics = deployedOnly ? try await deployedTopics(p) : try p.list(.topicName, required: true)
        let user = (try? p.modifier()) ?? (try? p.creator()) ?? "webapi"
        for topic in topics {
            do throws(UserDirectoryError) {
                try await security.grants.update(topic, change)
            } catch {
                throw WebParameterError(error.message)
            }
            let enabled = security.grants.control(topic)?.isEnabled ?? false
            if let record = await master.topic(named: topic), record.enableAuthControl != enabled {
                _ = try? await master.setTopicControl(
                    topic: topic,
                    maxMsgSizeInMB: nil,
                    enableAuthControl: enabled,
                    by: user
                )
            }
        }
        return Envelope.success()
    }
}
