/// `RequestHeader.serviceType`: which service of a server a request addresses.
public struct ServiceType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The master service (methods 1–9, 20–22).
    public static let master = ServiceType(rawValue: 1)
    /// The broker's read service (consumers; also accepts send, as the Go client uses it).
    public static let brokerRead = ServiceType(rawValue: 2)
    /// The broker's write service (producers).
    public static let brokerWrite = ServiceType(rawValue: 3)
    /// Broker admin; declared, rejected by the validator.
    public static let brokerAdmin = ServiceType(rawValue: 4)
    /// Master admin; declared, rejected by the validator.
    public static let masterAdmin = ServiceType(rawValue: 5)

    public var description: String { "\(rawValue)" }
}
