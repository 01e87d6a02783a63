import NIOCore

/// The calls of one connection awaiting their replies, by serial number, with the deadline of each and
/// the one timer that watches them all.
///
/// A pure value: the connection keeps it under its lock and resumes the waiters it hands back outside
/// the lock. At most one timer matters at a time, armed for the earliest deadline it was told about;
/// a timer that fires for any other deadline was superseded and does nothing. When the armed timer
/// fires, the calls past their deadline leave and the next timer is armed for the earliest of the
/// others, so a connection schedules about one timer per timeout period, not one per call.
struct PendingCalls<Waiter: Sendable>: Sendable {
    /// A call awaiting its reply.
    struct Entry: Sendable {
        var waiter: Waiter
        var deadline: NIODeadline
        /// The call's timeout, for the error text.
        var timeout: TimeAmount
    }

    private var entries: [UInt32: Entry] = [:]
    /// The deadline the live timer is armed for, if one is.
    private(set) var armedDeadline: NIODeadline?

    /// The number of calls waiting.
    var count: Int { entries.count }

    /// Adds a call; returns the deadline to arm a timer for when no armed timer fires early enough.
    mutating func insert(_ waiter: Waiter, serial: UInt32, deadline: NIODeadline, timeout: TimeAmount) -> NIODeadline? {
        entries[serial] = Entry(waiter: waiter, deadline: deadline, timeout: timeout)
        if let armed = armedDeadline, armed <= deadline { return nil }
        armedDeadline = deadline
        return deadline
    }

    /// Removes and returns the call with `serial`, if it is still waiting.
    mutating func remove(serial: UInt32) -> Entry? {
        entries.removeValue(forKey: serial)
    }

    /// A timer armed for `fired` went off at `now`: removes and returns the calls whose deadline has
    /// passed, with the deadline to arm the next timer for (`nil`: no timer needed, or `fired` was
    /// superseded and the live timer is still armed).
    mutating func expire(timerArmedFor fired: NIODeadline, now: NIODeadline) -> (expired: [Entry], rearm: NIODeadline?)
    {
        guard armedDeadline == fired else { return ([], nil) }
        var expiredSerials: [UInt32] = []
        var next: NIODeadline?
        for (serial, entry) in entries {
            if entry.deadline <= now {
                expiredSerials.append(serial)
            } else if next.map({ entry.deadline < $0 }) ?? true {
                next = entry.deadline
            }
        }
        let expired = expiredSerials.compactMap { entries.removeValue(forKey: $0) }
        armedDeadline = next
        return (expired, next)
    }

    /// Removes and returns every call (the connection is gone); no timer is armed afterwards.
    mutating func removeAll() -> [Entry] {
        let all = Array(entries.values)
        entries.removeAll()
        armedDeadline = nil
        return all
    }
}
