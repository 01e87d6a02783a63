import Testing
import TubeMQConfig

@Suite("typed reads: blank is absent, Java number and boolean rules")
struct SectionReaderTests {
    private func reader(_ body: String) throws -> SectionReader {
        SectionReader(try IniFile(parsing: "[s]\n" + body), section: "s")
    }

    @Test func blankOrAbsentGivesTheDefault() throws {
        var reader = try reader("a=\nb=   \nc=5")
        #expect(reader.int("a", default: 42) == 42)
        #expect(reader.int("b", default: 42) == 42)
        #expect(reader.int("missing", default: 42) == 42)
        #expect(reader.int("c", default: 42) == 5)
        #expect(reader.string("a") == nil)
        #expect(reader.string("a", default: "d") == "d")
        #expect(try reader.int("a") == nil)
        #expect(reader.warnings.isEmpty)
    }

    @Test func unparseableIntGivesTheDefaultAndAWarning() throws {
        var reader = try reader("port=87x5\nbig=2147483648")
        #expect(reader.int("port", default: 8715) == 8715)
        #expect(reader.int("big", default: 1) == 1, "Integer.parseInt rejects values past 32 bits")
        #expect(reader.long("big", default: 1) == 2_147_483_648)
        #expect(reader.warnings.count == 2)
        let warning = try #require(reader.warnings.first)
        #expect(warning.kind == .unparseableValue)
        #expect(warning.key == "port")
        #expect(warning.line == 2)
        #expect(warning.message.contains("87x5"))
    }

    @Test func strictReadOfAnUnparseableValueThrows() throws {
        let reader = try reader("webPort=eighty")
        let error = configError { () throws(ConfigError) in try reader.int("webPort") }
        #expect(error?.code == .unparseableValue)
        #expect(error?.message == "Translate key(webPort)'s value eighty to int failure!")
        #expect(error?.line == 2)
    }

    @Test func requiredBlankIsBlankValueError() throws {
        let reader = try reader("brokerId=")
        let error = configError { () throws(ConfigError) in try reader.requiredInt("brokerId") }
        #expect(error?.code == .blankValue)
        #expect(error?.message == "Blank value for brokerId")
        #expect(error?.key == "brokerId")
    }

    @Test func requiredMissingSuggestsTheClosestKey() throws {
        let reader = try reader("brokerID=1\nhostName=x")
        let error = configError { () throws(ConfigError) in try reader.requiredInt("brokerId") }
        #expect(error?.code == .missingKey)
        #expect(error?.suggestion == "brokerID")
        #expect(error?.message.contains("brokerID") == true)
    }

    @Test func noSuggestionWhenNothingIsClose() throws {
        let reader = try reader("zzzzzz=1")
        let error = configError { () throws(ConfigError) in try reader.requiredString("primaryPath") }
        #expect(error?.code == .missingKey)
        #expect(error?.suggestion == nil)
    }

    @Test(arguments: [
        ("true", true), ("TRUE", true), ("True", true), ("tRuE", true),
        ("false", false), ("yes", false), ("1", false), ("on", false), ("truee", false), ("t", false),
    ])
    func javaParseBoolean(text: String, expected: Bool) throws {
        #expect(JavaValueParsing.parseBoolean(text) == expected)
        let reader = try reader("flag=\(text)")
        if ["true", "false"].contains(text.lowercased()) {
            #expect(try reader.bool("flag") == expected)
        } else {
            // Java reads it as false, silently: `tlsEnable=ture` would turn TLS off. Here it is refused.
            let error = configError { () throws(ConfigError) in _ = try reader.bool("flag") }
            #expect(error?.code == .unparseableValue)
            #expect(error?.message.contains("use true or false") == true)
        }
    }

    @Test(arguments: [
        ("+15", 15), ("-3", -3), ("0", 0), ("2147483647", 2_147_483_647), ("-2147483648", -2_147_483_648),
    ])
    func javaParseIntAccepts(text: String, expected: Int) {
        #expect(JavaValueParsing.parseInt(text) == expected)
    }

    @Test(arguments: ["", "+", "-", "1.5", "0x10", "1e3", "2147483648", "1_000", "١٢"])
    func javaParseIntRejects(text: String) {
        #expect(JavaValueParsing.parseInt(text) == nil)
    }

    @Test func clampRecordsAnAdjustment() throws {
        var reader = try reader("rebalanceParallel=50")
        #expect(reader.clamp("rebalanceParallel", 50, to: 1...20) == 20)
        #expect(reader.clamp("rebalanceParallel", 7, to: 1...20) == 7)
        #expect(reader.warnings.map(\.kind) == [.adjustedValue])
        #expect(reader.warnings.first?.line == 2)
    }

    @Test func absentSectionReadsAsAllAbsent() throws {
        var reader = SectionReader(try IniFile(parsing: "[other]\nx=1"), section: "s")
        #expect(!reader.hasKeys)
        #expect(reader.int("x", default: 3) == 3)
        let error = configError { () throws(ConfigError) in try reader.requiredString("x") }
        #expect(error?.code == .missingKey)
    }
}
