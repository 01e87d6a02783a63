import TubeMQCore

/// One event a balance round created.
public struct PlannedEvent: Sendable, Hashable {
    /// The group.
    public var group: String
    /// The consumer that will receive it.
    public var consumerID: String
    /// The event.
    public var event: RebalanceEvent
    /// Whether it waits for other consumers to acknowledge their `ONLY_DISCONNECT` first.
    public var waitsForDisconnects: Bool
}

/// What one balance round did, for logging and tests.
public struct BalanceReport: Sendable, Hashable {
    /// The round's rebalance id.
    public var rebalanceID: Int64
    /// The events created, disconnects first, in group and consumer order.
    public var events: [PlannedEvent]
    /// Groups left alone: events still pending, a member that has not heartbeated yet, or a bound
    /// group still waiting for members.
    public var skippedGroups: [String]
}

extension MasterState {
    /// Sets the topics each group may not consume now for want of a grant (its members registered
    /// while they had one): balance rounds give the group none of their partitions. Groups absent
    /// from `topics` may consume all theirs.
    public mutating func setUnauthorizedTopics(_ topics: [String: Set<String>]) {
        unauthorizedTopics = topics.filter { !$0.value.isEmpty }
    }

    /// Runs one balance round now, whether or not one is due, and schedules the next one a
    /// balance period later.
    ///
    /// The round takes the next rebalance id. Each group without pending events gets a target
    /// assignment (``Balancer``) computed from what its members reported holding; then, per
    /// consumer:
    /// * partitions it holds but should not: an `ONLY_DISCONNECT` (20), queued;
    /// * partitions it should hold but does not: `ONLY_CONNECT` (10) events with the same rebalance
    ///   id, one for the partitions nobody else holds (queued at once) and one per set of current
    ///   holders, held back until those holders have acknowledged their `ONLY_DISCONNECT` or left
    ///   the group. A consumer whose holdings come
    ///   from its registration and are not confirmed yet (``ConsumerMember/claimsUnconfirmed``) gets
    ///   every partition it should hold in that event, the ones it claims included.
    ///
    /// Groups with an event in flight, queued or waiting are skipped, so a round never works from a
    /// stale view, and so are groups with a member that has not sent a heartbeat since it registered
    /// (the recorded master never assigned a Go or C++ consumer, whose first heartbeat comes 5 s after
    /// registering, in a round before that heartbeat), unless they registered claiming partitions.
    /// Such a group still gets the partitions of members that have left since (``ConsumerGroup/orphaned``)
    /// that no member holds and no event moves: they go to its members at once
    /// (``ConsumerGroup/scheduleOrphans(available:rebalanceID:)``), when
    /// ``MasterTimings/balancesWhenAMemberLeaves`` is on. A consumer that never reports (`reportSubscribeInfo = false`) is therefore sent
    /// `ONLY_CONNECT` for its partitions again every round, as the recorded master does.
    public mutating func balance(now: Int64) -> BalanceReport {
        lastRebalanceID += 1
        lastBalanceAt = now
        nextBalanceAt = now + configuration.balancePeriodMs
        var report = BalanceReport(rebalanceID: lastRebalanceID, events: [], skippedGroups: [])
        for name in groupsByName.keys.sorted() {
            guard var group = groupsByName[name] else { continue }
            // A topic the group is forbidden to consume (consume control, the old blacklist) gives it no
            // partitions: members that hold some are sent ONLY_DISCONNECT, and get them back once allowed.
            let forbidden = groupSettingsByName[name]?.consumeDisabled ?? [:]
            let unauthorized = unauthorizedTopics[name] ?? []
            let available = group.topics.sorted().filter { forbidden[$0] == nil && !unauthorized.contains($0) }
                .flatMap { subscribablePartitions(topic: $0) }
            if !group.isReadyToBalance {
                // The partitions of members that left go out now, even though the group waits for
                // other events: they would otherwise stay idle until those are delivered and acknowledged.
                let events =
                    configuration.balancesWhenAMemberLeaves && group.bound == nil
                    ? group.scheduleOrphans(available: available, rebalanceID: lastRebalanceID) : []
                if events.isEmpty {
                    report.skippedGroups.append(name)
                } else {
                    group.lastRebalanceID = lastRebalanceID
                    report.events += events
                    groupsByName[name] = group
                }
                continue
            }
            group.orphaned = []
            let target: [String: Set<String>]
            if let session = group.bound {
                guard group.members.count >= Int(session.totalCount) else {
                    report.skippedGroups.append(name)
                    continue
                }
                let bound = Balancer.assignBound(
                    partitions: available,
                    requests: group.members.mapValues(\.requiredOffsets),
                    selectBig: session.selectBig
                )
                target = bound.target
                group.boundOffsets = bound.offsets
            } else {
                target = Balancer.assign(
                    partitions: available,
                    consumers: group.membersToBalance(now: now),
                    current: group.members.mapValues { Set($0.held.keys) }
                )
            }
            let events = group.schedule(target: target, available: available, rebalanceID: lastRebalanceID)
            if !events.isEmpty { group.lastRebalanceID = lastRebalanceID }
            report.events += events
            groupsByName[name] = group
        }
        return report
    }
}

extension ConsumerGroup {
    /// The members a round balances: all but those an admin asked to rejoin whose first round has
    /// not come yet or whose wait is not over (``Rejoin``). Marks those as released, and forgets the
    /// requests that are done and those of members that left.
    mutating func membersToBalance(now: Int64) -> [String] {
        rejoins = rejoins.filter { id, rejoin in members[id] != nil && (!rejoin.released || now < rejoin.notBefore) }
        for id in rejoins.keys { rejoins[id]?.released = true }
        return members.keys.filter { rejoins[$0] == nil }
    }

    /// Queues the events that move the group from what its members hold to `target`.
    mutating func schedule(target: [String: Set<String>], available: [Partition], rebalanceID: Int64) -> [PlannedEvent]
    {
        let byKey = Dictionary(available.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let holders = owners
        var planned: [PlannedEvent] = []
        let ids = members.keys.sorted()
        for id in ids {
            guard let member = members[id] else { continue }
            let mine = target[id] ?? []
            let release = Self.inHashOrder(member.held.values.filter { !mine.contains($0.key) })
            guard !release.isEmpty else { continue }
            let event = makeEvent(rebalanceID, .onlyDisconnect, release, for: id)
            members[id]?.queued.append(event)
            planned.append(PlannedEvent(group: name, consumerID: id, event: event, waitsForDisconnects: false))
        }
        for id in ids {
            guard let member = members[id] else { continue }
            members[id]?.claimsUnconfirmed = false
            let connect = Self.inHashOrder(
                (target[id] ?? []).filter { member.claimsUnconfirmed || member.held[$0] == nil }.compactMap {
                    byKey[$0]
                }
            )
            guard !connect.isEmpty else { continue }
            // One event per set of consumers still holding its partitions: the free ones go out at
            // once, and each held set waits only for its own holders, so partitions a live member has
            // given up are not held back by a member that died and has not timed out yet.
            var byHolders: [Set<String>: [Partition]] = [:]
            for partition in connect {
                byHolders[Set(holders[partition.key] ?? []).subtracting([id]), default: []].append(partition)
            }
            let order = byHolders.keys.sorted {
                ($0.count, $0.sorted().joined(separator: ",")) < ($1.count, $1.sorted().joined(separator: ","))
            }
            for waitingOn in order {
                let event = makeEvent(rebalanceID, .onlyConnect, Self.inHashOrder(byHolders[waitingOn] ?? []), for: id)
                if waitingOn.isEmpty {
                    members[id]?.queued.append(event)
                } else {
                    pendingConnects.append(PendingConnect(consumerID: id, event: event, waitingOn: waitingOn))
                }
                planned.append(
                    PlannedEvent(group: name, consumerID: id, event: event, waitsForDisconnects: !waitingOn.isEmpty)
                )
            }
        }
        return planned
    }

    /// Queues an `ONLY_CONNECT` for the partitions members that left had (``orphaned``) that no
    /// member holds and no event moves, for a group whose full round must wait for pending events.
    ///
    /// Each goes to a member that has heartbeated and is not rejoining, preferring members with no
    /// event to deliver first (so it goes out at their next heartbeat), then the fewest partitions
    /// held or coming. The next full round evens the group out.
    mutating func scheduleOrphans(available: [Partition], rebalanceID: Int64) -> [PlannedEvent] {
        defer { orphaned = [] }
        guard !orphaned.isEmpty else { return [] }
        var moving = Set(members.values.flatMap { $0.held.keys })
        var load: [String: Int] = members.mapValues { $0.held.count }
        for member in members.values {
            for event in [member.inFlight].compactMap({ $0 }) + member.queued {
                moving.formUnion(event.subscriptions.map(\.partition.key))
                load[member.clientID, default: 0] += event.type == .onlyConnect ? event.subscriptions.count : 0
            }
        }
        for pending in pendingConnects {
            moving.formUnion(pending.event.subscriptions.map(\.partition.key))
            load[pending.consumerID, default: 0] += pending.event.subscriptions.count
        }
        let orphans = available.filter { orphaned.contains($0.key) && !moving.contains($0.key) }
            .sorted(by: Partition.balanceOrder)
        let candidates = members.values.filter { $0.hasHeartbeated && rejoins[$0.clientID] == nil }
        guard !orphans.isEmpty, !candidates.isEmpty else { return [] }
        var given: [String: [Partition]] = [:]
        for partition in orphans {
            guard
                let taker = candidates.min(by: {
                    ($0.hasEvents ? 1 : 0, load[$0.clientID] ?? 0, $0.clientID)
                        < ($1.hasEvents ? 1 : 0, load[$1.clientID] ?? 0, $1.clientID)
                })
            else { break }
            given[taker.clientID, default: []].append(partition)
            load[taker.clientID, default: 0] += 1
        }
        var planned: [PlannedEvent] = []
        for id in given.keys.sorted() {
            let event = makeEvent(rebalanceID, .onlyConnect, Self.inHashOrder(given[id] ?? []), for: id)
            members[id]?.queued.append(event)
            planned.append(PlannedEvent(group: name, consumerID: id, event: event, waitsForDisconnects: false))
        }
        return planned
    }

    /// Partitions in the order the recorded master listed them in events (``Balancer/javaHashOrder(_:)``).
    static func inHashOrder(_ partitions: [Partition]) -> [Partition] {
        let byKey = Dictionary(partitions.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        return Balancer.javaHashOrder(Array(byKey.keys)).compactMap { byKey[$0] }
    }

    private func makeEvent(
        _ rebalanceID: Int64,
        _ type: RebalanceEventType,
        _ partitions: [Partition],
        for consumerID: String
    ) -> RebalanceEvent {
        RebalanceEvent(
            rebalanceID: rebalanceID,
            type: type,
            subscriptions: partitions.map { Subscription(consumerID: consumerID, group: name, partition: $0) }
        )
    }
}
