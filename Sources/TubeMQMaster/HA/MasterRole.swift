public import SwiftProtobuf
import Synchronization
public import TubeMQMasterState
public import TubeMQRPC
public import TubeMQWire

/// What a master of an HA group is right now: the active one (with its running ``Master``) or a
/// standby (knowing, when it can, the active master's address).
///
/// The election changes it; the RPC service and the webapi read it once per call. Reads and writes
/// are under one mutex, so a master that steps down stops answering as active from that instant.
public final class MasterRole: Sendable {
    /// The advertised addresses of a master: `host:port` for RPC, `host:webPort` for the webapi.
    public struct Address: Sendable, Hashable, CustomStringConvertible {
        /// The host both ports are on.
        public var host: String
        /// The RPC port.
        public var port: Int
        /// The webapi port.
        public var webPort: Int
        /// The HTTPS webapi port, when the master serves one: standbys redirect HTTPS requests to it.
        public var webTLSPort: Int?

        /// Creates an address.
        public init(host: String, port: Int, webPort: Int, webTLSPort: Int? = nil) {
            self.host = host
            self.port = port
            self.webPort = webPort
            self.webTLSPort = webTLSPort
        }

        /// `host:port:webPort[:webTLSPort]`, the election znode's data.
        public var description: String { "\(host):\(port):\(webPort)" + (webTLSPort.map { ":\($0)" } ?? "") }

        /// Parses `host:port:webPort[:webTLSPort]`.
        public init?(_ text: String) {
            let parts = text.split(separator: ":")
            guard parts.count == 3 || parts.count == 4, let port = Int(parts[1]), let webPort = Int(parts[2]) else {
                return nil
            }
            let webTLSPort = parts.count == 4 ? Int(parts[3]) : nil
            if parts.count == 4 && webTLSPort == nil { return nil }
            self.init(host: String(parts[0]), port: port, webPort: webPort, webTLSPort: webTLSPort)
        }
    }

    private struct Current {
        var master: Master?
        var active: Address?
        var standbyMetadata: MasterSnapshot?
        /// Whether the ZooKeeper session behind the active role still answers (checked per read).
        var isFresh: (@Sendable () -> Bool)?
    }

    private let current = Mutex(Current())
    /// What the election lets the webapi do (set by the election when it starts).
    private let electionHooks = Mutex<ElectionHooks?>(nil)

    /// The calls the election answers for ``transferActive()`` and ``groupMembers()``.
    struct ElectionHooks: Sendable {
        var transfer: @Sendable () async -> Bool
        var members: @Sendable () async -> [MasterGroupMember]?
    }

    /// Creates a standby role with no known active master.
    public init() {}

    /// The running master while this one is active, `nil` on a standby. Also `nil` while the
    /// session behind the role has not been heard from within its read timeout: a master resumed
    /// after a pause longer than that answers as a standby at once, before its election notices the
    /// lost session and steps down (another master may be active by then).
    public var master: Master? {
        let (master, isFresh) = current.withLock { ($0.master, $0.isFresh) }
        guard let master, isFresh?() ?? true else { return nil }
        return master
    }

    /// Whether this master is the active one.
    public var isActive: Bool { master != nil }

    /// The active master's addresses, as last seen in the election (its own when active).
    public var activeAddress: Address? { current.withLock { $0.active } }

    /// The metadata a standby keeps loaded (reloaded whenever a record changes in ZooKeeper); `nil`
    /// while active or before the first load.
    public var standbyMetadata: MasterSnapshot? { current.withLock { $0.standbyMetadata } }

    /// Records the metadata a standby has loaded.
    func setStandbyMetadata(_ snapshot: MasterSnapshot?) {
        current.withLock { $0.standbyMetadata = snapshot }
    }

    /// Makes this master the active one, serving with `master` while `isFresh` holds.
    func activate(_ master: Master, address: Address, isFresh: (@Sendable () -> Bool)? = nil) {
        current.withLock {
            $0.master = master
            $0.active = address
            $0.standbyMetadata = nil
            $0.isFresh = isFresh
        }
    }

    /// Makes this master a standby at once; returns the master it was running, if any.
    @discardableResult
    func deactivate(knownActive: Address? = nil) -> Master? {
        current.withLock {
            let master = $0.master
            $0.master = nil
            $0.active = knownActive
            $0.isFresh = nil
            return master
        }
    }

    /// Asks this master, when it is the active one, to hand the active role to the next candidate of
    /// the election (the webapi's `admin_transfer_current_master`): it steps down and joins again at
    /// the end of the queue. Returns `false` when this master is not the active one.
    public func transferActive() async -> Bool {
        guard isActive, let hooks = electionHooks.withLock({ $0 }) else { return false }
        return await hooks.transfer()
    }

    /// The masters of the HA group, in election order (the first is the active one), as the
    /// election znodes list them; `nil` when ZooKeeper cannot be asked.
    public func groupMembers() async -> [MasterGroupMember]? {
        guard let hooks = electionHooks.withLock({ $0 }) else { return nil }
        return await hooks.members()
    }

    /// Sets what ``transferActive()`` and ``groupMembers()`` call.
    func setElectionHooks(_ hooks: ElectionHooks) {
        electionHooks.withLock { $0 = hooks }
    }

    /// Records the active master's address seen by a standby.
    func setActive(_ address: Address?) {
        current.withLock {
            if $0.master == nil { $0.active = address }
        }
    }
}

/// The RPC service of a master in an HA group: the active one answers as ``MasterService``; a standby
/// answers every call with TubeMQ's `StandbyException` (wire.md), so clients and brokers move on to
/// the next master of their list.
public struct HAMasterService: RPCService {
    /// The role the calls are routed by.
    public let role: MasterRole
    /// The permission checks the active master applies (every check off by default).
    public let security: MasterSecurity
    /// Whether this service answers on the TLS port (broker addresses carry their TLS ports).
    public let overTLS: Bool

    /// Creates the service.
    public init(role: MasterRole, security: MasterSecurity = .off(), overTLS: Bool = false) {
        self.role = role
        self.security = security
        self.overTLS = overTLS
    }

    /// The master service type only.
    public var serviceTypes: Set<ServiceType> { [.master] }

    /// Answers one call as the active master, or with a `StandbyException`.
    ///
    /// - Throws: a `StandbyException` ``TubeMQWire/RemoteException`` on a standby; otherwise what
    ///   ``MasterService/handle(_:context:)`` throws.
    public func handle(_ call: IncomingCall, context: RPCCallContext) async throws -> any SwiftProtobuf.Message {
        guard let master = role.master else {
            throw RemoteException.standby(Self.standbyMessage)
        }
        return try await MasterService(master: master, security: security, overTLS: overTLS).handle(
            call,
            context: context
        )
    }

    /// The text of a standby's refusal.
    public static let standbyMessage = "Please send your request to the master Node."
}
