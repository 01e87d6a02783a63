import Foundation
import NIOCore
import Synchronization

/// Who this process is to TubeMQ: its local IPv4 address and the client ids it hands out.
///
/// Client ids follow the shape of the Java client's (`ip-pid-time-counter-version`; consumers add
/// their group in front), which is all servers check beyond the 1024-character limit.
enum ClientIdentity {
    /// The version suffix written into client ids.
    static let version = "swift-tubemq-0.1"

    private static let counter = Atomic<Int>(0)

    /// The first non-loopback IPv4 address of this host, or `127.0.0.1`.
    static let localIPv4: String = {
        let devices = (try? System.enumerateDevices()) ?? []
        for device in devices {
            guard case .v4? = device.address, let ip = device.address?.ipAddress, !ip.hasPrefix("127.") else {
                continue
            }
            return ip
        }
        return "127.0.0.1"
    }()

    /// A fresh producer id.
    static func producerID(host: String) -> String {
        "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(millisecondsNow())-\(next())-\(version)"
    }

    /// A fresh consumer id for `group`; `kind` is "Push" or "Pull", as in the Java ids.
    static func consumerID(group: String, host: String, kind: String) -> String {
        let pid = ProcessInfo.processInfo.processIdentifier
        return "\(group)_\(host)-\(pid)-\(millisecondsNow())-\(next())-\(kind)-\(version)"
    }

    /// An IPv4 address packed as Java's `AddressUtils.ipToInt` does (`SendMessageRequestP2B.sentAddr`); 0 if not IPv4.
    static func packedIPv4(_ text: String) -> Int32 {
        let parts = text.split(separator: ".")
        guard parts.count == 4 else { return 0 }
        var value: UInt32 = 0
        for part in parts {
            guard let byte = UInt8(part) else { return 0 }
            value = value << 8 | UInt32(byte)
        }
        return Int32(bitPattern: value)
    }

    /// Milliseconds since the epoch.
    static func millisecondsNow() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    private static func next() -> Int { counter.wrappingAdd(1, ordering: .relaxed).newValue }
}
