import Foundation
import TubeMQClient
import TubeMQRPC
import TubeMQWire

/// With several masters, exactly one is active: the others refuse client calls with TubeMQ's
/// `StandbyException` (which the official clients take as "try the next master"), and their webapi
/// redirects (302) to the active master's webapi with the same path and query.
public struct StandbyMasterCase: ConformanceCase {
    public let name = "standby_master"
    public let summary = "a standby master answers StandbyException and its webapi redirects (302) to the active one"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let masters = context.settings.masters
        guard masters.count > 1 else {
            throw .skipped("needs several masters (--master host:port,host:port,…)")
        }
        let rpc = context.rpcClient()
        var active: [Int] = []
        var standby: [Int] = []
        var down: [String] = []
        for (index, master) in masters.enumerated() {
            var register = RegisterRequestP2M()
            register.clientID = "conf-standby-\(index)-\(context.settings.runID)"
            register.brokerCheckSum = -1
            register.hostName = "127.0.0.1"
            do {
                let reply: RegisterResponseM2P = try await rpc.call(
                    .producerRegister,
                    register,
                    host: master.host,
                    port: master.port
                )
                try require(reply.success, "\(master) refused a producer: \(reply.errCode) \(reply.errMsg)")
                active.append(index)
                var close = CloseRequestP2M()
                close.clientID = register.clientID
                let _: CloseResponseM2P? = try? await rpc.call(
                    .producerClose,
                    close,
                    host: master.host,
                    port: master.port
                )
            } catch let error as ConformanceError {
                throw error
            } catch let error as RPCError where error.code == .remoteException {
                try require(
                    error.isStandby,
                    "\(master) refused a producer with \(error.remote?.exceptionName ?? "?"), not StandbyException"
                )
                standby.append(index)
            } catch {
                down.append("\(master): \(error)")
            }
        }
        try require(
            active.count == 1,
            "\(active.count) masters accepted a producer (\(active.map { "\(masters[$0])" })); exactly one must be active"
        )
        guard !standby.isEmpty else {
            throw .skipped("no standby master answered (unreachable: \(down.joined(separator: "; ")))")
        }
        // A standby refuses the consumer protocol the same way.
        for index in standby {
            var heartbeat = HeartRequestC2M()
            heartbeat.clientID = "conf-standby-consumer-\(context.settings.runID)"
            heartbeat.groupName = context.group()
            heartbeat.reportSubscribeInfo = false
            do {
                let _: HeartResponseM2C = try await rpc.call(
                    .consumerHeartbeat,
                    heartbeat,
                    host: masters[index].host,
                    port: masters[index].port
                )
                throw ConformanceError.violation("standby \(masters[index]) answered a consumer heartbeat")
            } catch let error as ConformanceError {
                throw error
            } catch let error as RPCError where error.isStandby {
            } catch {
                throw .violation(
                    "standby \(masters[index]) answered a consumer heartbeat with \(error), not StandbyException"
                )
            }
        }
        let webs = context.settings.masterWebAddresses
        guard webs.count == masters.count else { return }
        let activeWeb = webs[active[0]]
        let path = "/webapi.htm?type=op_query&method=admin_query_broker_configure"
        for index in standby {
            let web = webs[index]
            let answer = try await RawHTTPGet.get(host: web.host, port: web.port, path: path, timeout: .seconds(10))
            try require(
                answer.status == 302,
                "standby \(web.host):\(web.port) answered \(answer.status) to GET \(path), not 302"
            )
            guard let location = answer.location, let url = URLComponents(string: location) else {
                throw .violation("standby \(web.host):\(web.port) redirected without a Location")
            }
            try require(
                url.port == activeWeb.port && location.hasSuffix(path),
                "standby \(web.host):\(web.port) redirected to \(location), not to the active webapi port \(activeWeb.port) with \(path)"
            )
        }
    }
}
