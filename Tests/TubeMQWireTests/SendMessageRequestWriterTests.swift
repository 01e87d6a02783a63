import Foundation
import NIOCore
import SwiftProtobuf
import Testing
import TubeMQTestKit
import TubeMQWire

/// The hand encoder of `SendMessageRequestP2B` writes SwiftProtobuf's bytes, field for field.
@Suite struct SendMessageRequestWriterTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        var name: String
        var writer: SendMessageRequestWriter
        var testDescription: String { name }
    }

    static let samples: [Sample] = [
        Sample(
            name: "bare body",
            writer: SendMessageRequestWriter(
                clientID: "10.0.0.1-1234-1700000000000-1-Java-1.0",
                topicName: "demo",
                partitionID: 2,
                data: Array(repeating: 0x62, count: 100),
                flag: 0,
                sentAddress: 0x0A00_0001
            )
        ),
        Sample(
            name: "attributes, type and time",
            writer: SendMessageRequestWriter(
                clientID: "producer",
                topicName: "orders",
                partitionID: 0,
                data: [0, 0, 0, 40] + Array("$msgType$=kind,$msgTime$=202401011200,k=v".utf8) + [1, 2, 3],
                flag: 1,
                sentAddress: -1_062_731_519,
                messageType: "kind",
                messageTime: "202401011200"
            )
        ),
        Sample(
            name: "visit token",
            writer: SendMessageRequestWriter(
                clientID: "c",
                topicName: "t",
                partitionID: 1000,
                data: [7],
                flag: 0,
                sentAddress: 0,
                authorization: .init(visitToken: 1_700_000_000_123)
            )
        ),
        Sample(
            name: "negative values, both tokens, large body",
            writer: SendMessageRequestWriter(
                clientID: "ç-ünïcode",
                topicName: "topic-ä",
                partitionID: -1,
                data: Array(repeating: 9, count: 20_000),
                flag: Int32.min,
                checkSum: Int32.max,
                sentAddress: Int32.min,
                messageType: "",
                messageTime: "t",
                authorization: .init(visitToken: -5, authToken: "secret")
            )
        ),
    ]

    @Test(arguments: samples)
    func writerMatchesSwiftProtobuf(sample: Sample) throws {
        let writer = sample.writer
        var message = SendMessageRequestP2B()
        message.clientID = writer.clientID
        message.topicName = writer.topicName
        message.partitionID = writer.partitionID
        message.data = Data(writer.data)
        message.flag = writer.flag
        message.checkSum = writer.checkSum
        message.sentAddr = writer.sentAddress
        if let type = writer.messageType { message.msgType = type }
        if let time = writer.messageTime { message.msgTime = time }
        if let authorization = writer.authorization {
            var info = AuthorizedInfo()
            info.visitAuthorizedToken = authorization.visitToken
            if let token = authorization.authToken { info.authAuthorizedToken = token }
            message.authInfo = info
        }
        let expected: [UInt8] = try message.serializedBytes()
        let encoded = writer.encoded
        #expect(encoded.readableBytes == writer.encodedLength)
        #expect(Array(encoded.readableBytesView) == expected)
    }

    /// Every send request the official producers sent, decoded and written again, gives their bytes.
    @Test(arguments: Vectors.files)
    func recordedSendRequestsAreWrittenAgain(file: String) throws {
        for vector in Vectors.load(file) where vector.isRequest && vector.method == RPCMethod.sendMessage.id {
            var buffer = vector.buffer
            var decoder = FrameDecoder()
            guard let frame = try decoder.next(from: &buffer), let envelope = RequestEnvelope.wellFormed(frame.payload),
                let body = envelope.request
            else { continue }
            let recorded = Array(body.readableBytesView)
            guard let message = try? SendMessageRequestP2B(serializedBytes: recorded),
                message.unknownFields.data.isEmpty
            else { continue }
            let writer = SendMessageRequestWriter(
                clientID: message.clientID,
                topicName: message.topicName,
                partitionID: message.partitionID,
                data: Array(message.data),
                flag: message.flag,
                checkSum: message.checkSum,
                sentAddress: message.sentAddr,
                messageType: message.hasMsgType ? message.msgType : nil,
                messageTime: message.hasMsgTime ? message.msgTime : nil,
                authorization: message.hasAuthInfo
                    ? .init(
                        visitToken: message.authInfo.visitAuthorizedToken,
                        authToken: message.authInfo.hasAuthAuthorizedToken ? message.authInfo.authAuthorizedToken : nil
                    ) : nil
            )
            #expect(Array(writer.encoded.readableBytesView) == recorded, "\(vector)")
        }
    }
}
