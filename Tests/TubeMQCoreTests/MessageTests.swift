import Testing
import TubeMQCore

@Suite struct MessageTests {
    @Test func plainBodyHasNoHeader() throws {
        let message = Message(body: Array("hi".utf8))
        #expect(message.flag == 0)
        #expect(message.payload == Array("hi".utf8))
        #expect(try Message(payload: message.payload, flag: 0) == message)
    }

    @Test func attributesRoundTrip() throws {
        var message = Message(body: [1, 2, 3])
        message.messageType = "typeA"
        message.messageTime = "202611241947"
        message.setAttribute("serialId", "1")
        #expect(message.flag == MessageFlag.hasAttributes)
        let payload = message.payload
        let text = "$msgType$=typeA,$msgTime$=202611241947,serialId=1"
        #expect(Array(payload[0..<4]) == [0, 0, 0, UInt8(text.utf8.count)])
        #expect(Array(payload[4..<(4 + text.utf8.count)]) == Array(text.utf8))
        let decoded = try Message(payload: payload, flag: 1)
        #expect(decoded == message)
        #expect(decoded.messageType == "typeA")
        let found = payload.withUnsafeBytes { MessageAttributes.messageType(inPayload: $0, flag: 1) }
        #expect(found == "typeA")
    }

    @Test func aPayloadIsDecodedFromAnyCollectionWhereverItStarts() throws {
        let message = Message(body: [7, 8, 9], attributes: [("$msgType$", "t"), ("k", "v")])
        let framed = [0xEE, 0xEE, 0xEE] + message.payload + [0xEE]
        // A slice that does not start at index 0, as a reply buffer hands payloads over.
        let slice = framed[3..<(framed.count - 1)]
        #expect(try Message(payload: slice, flag: 1) == message)
        let fromRaw = try framed.withUnsafeBytes { raw in
            try Message(payload: UnsafeRawBufferPointer(rebasing: raw[3..<(framed.count - 1)]), flag: 1)
        }
        #expect(fromRaw == message)
        // An attribute length that reaches exactly the end leaves an empty body.
        #expect(try Message(payload: [0, 0, 0, 3, 97, 61, 98], flag: 1) == Message(body: [], attributes: [("a", "b")]))
    }

    @Test func malformedHeaderIsAnError() {
        #expect(throws: MessageFormatError.self) { try Message(payload: [0, 0], flag: 1) }
        #expect(throws: MessageFormatError.self) { try Message(payload: [0, 0, 0, 9, 65], flag: 1) }
    }

    @Test func removingAnAttribute() {
        var message = Message(body: [], attributes: [("a", "1"), ("b", "2")])
        message.setAttribute("a", nil)
        #expect(message.attributes.map(\.key) == ["b"])
    }

    @Test func partitionIDs() {
        #expect(PartitionID.make(storeIndex: 2, index: 3) == 20_003)
        #expect(PartitionID.storeIndex(of: 20_003) == 2)
        #expect(PartitionID.index(of: 20_003) == 3)
        #expect(PartitionID.all(stores: 2, partitionsPerStore: 2) == [0, 1, 10_000, 10_001])
    }
}
