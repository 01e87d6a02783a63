import NIOCore
public import SwiftProtobuf

/// A request frame accepted by a server: its method and decoded request message.
public struct IncomingCall: Sendable {
    /// The frame's serial number, echoed in the reply.
    public var serialNumber: UInt32
    /// The decoded envelope.
    public var envelope: RequestEnvelope
    /// The method.
    public var method: RPCMethod
    /// The decoded request message, of `method.requestType`.
    public var request: any SwiftProtobuf.Message

    /// Accepts or rejects a request frame, in the Java server's order of checks.
    ///
    /// 1. an unparseable envelope: FATAL; 2. a method id with no message type, or a request that does not
    /// decode (missing required fields included): FATAL; 3. a service type that does not accept the
    /// method: ERROR; 4. a service type this server does not provide (`servedTypes`): ERROR.
    ///
    /// - Returns: the call, or the ``RemoteException`` to reply with (and the client's protocol version, if known).
    public static func accept(
        _ frame: Frame,
        servedTypes: Set<ServiceType>
    ) -> Result<IncomingCall, Rejection> {
        let envelope: RequestEnvelope
        if let wellFormed = RequestEnvelope.wellFormed(frame.payload) {
            envelope = wellFormed
        } else {
            do {
                envelope = try RequestEnvelope(decoding: frame.payload)
            } catch {
                return .failure(Rejection(exception: .unreadableEnvelope(error), protocolVersion: nil))
            }
        }
        let version = envelope.protocolVersion
        guard let method = RPCMethod.withID(envelope.method) else {
            return .failure(Rejection(exception: .unsupportedMethod(envelope.method), protocolVersion: version))
        }
        let bytes = envelope.request ?? ByteBuffer()
        let request: any SwiftProtobuf.Message
        do {
            if method.id == RPCMethod.sendMessage.id, let send = SendMessageRequestP2B.wellFormed(bytes) {
                request = send
            } else {
                request = try method.requestType.init(serializedBytes: bytes.readableBytesSpan)
            }
        } catch BinaryDecodingError.missingRequiredFields {
            let names = bytes.withUnsafeReadableBytes {
                ProtoWireScanner.missingRequiredFields(messageName: method.requestType.protoMessageName, in: $0)
            }
            return .failure(Rejection(exception: .missingRequiredFields(names), protocolVersion: version))
        } catch {
            let text = bytes.withUnsafeReadableBytes { raw -> String in
                if case .failure(let problem) = ProtoWireScanner.scan(raw) { return problem.text }
                return "Protocol message had invalid UTF-8."
            }
            return .failure(Rejection(exception: .undecodableRequest(text), protocolVersion: version))
        }
        let serviceType = envelope.serviceType ?? 0
        guard RPCMethod.isValid(method: envelope.method, serviceType: envelope.serviceType) else {
            return .failure(
                Rejection(
                    exception: .unsupportedServiceType(method: envelope.method, serviceType: serviceType),
                    protocolVersion: version
                )
            )
        }
        guard servedTypes.contains(ServiceType(rawValue: serviceType)) else {
            return .failure(Rejection(exception: .noService(serviceType), protocolVersion: version))
        }
        return .success(
            IncomingCall(serialNumber: frame.serialNumber, envelope: envelope, method: method, request: request)
        )
    }

    /// Why a frame was not accepted, and how to write the reply.
    public struct Rejection: Error, Sendable {
        /// The exception reply.
        public var exception: RemoteException
        /// The client's protocol version, for exception-name rewriting; `nil` if the envelope was unreadable.
        public var protocolVersion: Int32?
    }
}
