import Testing
import TubeMQConfig

@Suite("ini parsing (ini4j rules)")
struct IniParserTests {
    @Test func sectionsKeysCommentsAndTrimming() throws {
        let ini = try IniFile(
            parsing: "; top\n  [ master ]  \n  port =  8715  \n# note\nwebPort:8080\n\n[broker]\nkey=a=b"
        )
        #expect(ini.sectionNames == ["master", "broker"])
        let master = try #require(ini[section: "master"])
        #expect(master.value("port") == "8715")
        #expect(master.value("webPort") == "8080", "ini4j accepts ':' as well as '='")
        #expect(master.entry("port")?.line == 3)
        #expect(master.line == 2)
        #expect(ini[section: "broker"]?.value("key") == "a=b", "splits at the first operator")
    }

    @Test func firstOperatorWinsBetweenEqualsAndColon() throws {
        let ini = try IniFile(parsing: "[broker]\nmasterAddressList=127.0.0.1:8715\nhost: 10.0.0.1:80")
        #expect(ini[section: "broker"]?.value("masterAddressList") == "127.0.0.1:8715")
        #expect(ini[section: "broker"]?.value("host") == "10.0.0.1:80")
    }

    @Test func duplicateKeysLastWinsAndSectionsMerge() throws {
        let ini = try IniFile(parsing: "[master]\nport=1\n[other]\nx=1\n[master]\nport=2\nwebPort=3")
        let master = try #require(ini[section: "master"])
        #expect(master.value("port") == "2")
        #expect(master.entry("port")?.line == 6)
        #expect(master.keys == ["port", "webPort"])
        #expect(master.entries.count == 3)
        #expect(ini.sectionNames == ["master", "other"])
    }

    @Test func blankValueIsKeptAsEmpty() throws {
        let ini = try IniFile(parsing: "[master]\nhostName=\nport =   ")
        #expect(ini[section: "master"]?.value("hostName") == "")
        #expect(ini[section: "master"]?.value("port") == "")
        #expect(ini[section: "master"]?.value("absent") == nil)
    }

    @Test func noTrailingCommentsAsInIni4j() throws {
        let ini = try IniFile(parsing: "[master]\nport=8715 ; the RPC port")
        #expect(ini[section: "master"]?.value("port") == "8715 ; the RPC port")
    }

    @Test func lineContinuationAndEscapes() throws {
        let ini = try IniFile(parsing: "[s]\nlist=a,\\\n  b,\\\n  c\npath=C\\:\\\\dir\\ttab\nu=\\u0041\\x\nk\\=ey=v")
        let section = try #require(ini[section: "s"])
        #expect(section.value("list") == "a,b,c")
        #expect(section.entry("list")?.line == 2, "a continued entry keeps its first line")
        #expect(section.value("path") == "C:\\dir\ttab")
        #expect(section.value("u") == "Ax")
        #expect(section.value("k=ey") == "v", "an escaped operator belongs to the key")
        #expect(section.entry("u")?.line == 6)
    }

    @Test func lineEndingsAndByteOrderMark() throws {
        let ini = try IniFile(parsing: "\u{FEFF}[a]\r\nx=1\r\ny=2\rz=3\n")
        let section = try #require(ini[section: "a"])
        #expect(section.value("x") == "1")
        #expect(section.value("y") == "2")
        #expect(section.value("z") == "3")
        #expect(section.entry("z")?.line == 4)
    }

    @Test(arguments: [
        ("[master]\nport=1\njustakey\n", 3),
        ("port=8715\n", 1),
        ("[master\nport=1", 1),
        ("[ ]\nport=1", 1),
        ("[master]\n= value", 2),
        ("[master]\n\nbad=\\u12\n", 3),
        ("[master]\nport=1\\\n", 2),
    ])
    func malformedLinesAreTypedErrorsWithLineNumbers(text: String, line: Int) {
        let error = configError { () throws(ConfigError) in try IniFile(parsing: text, source: "master.ini") }
        #expect(error?.code == .syntax)
        #expect(error?.line == line)
        #expect(error?.source == "master.ini")
    }

    @Test func errorDescriptionNamesFileAndLine() {
        do {
            _ = try IniFile(parsing: "[master]\nnope\n", source: "conf/master.ini")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.description.contains("conf/master.ini:2"))
            #expect(error.description.contains("nope"))
        }
    }

    @Test func mergingTwoFilesLaterWins() throws {
        let first = try IniFile(parsing: "[master]\nport=1\nwebPort=2\n[tlsSetting]\ntlsEnable=false")
        let second = try IniFile(parsing: "[broker]\nport=3\n[master]\nport=4")
        let merged = first.merging(second)
        #expect(merged.sectionNames == ["master", "tlsSetting", "broker"])
        #expect(merged[section: "master"]?.value("port") == "4")
        #expect(merged[section: "master"]?.value("webPort") == "2")
        #expect(merged[section: "broker"]?.value("port") == "3")
    }

    @Test func unreadableFileIsATypedError() {
        let error = configError { () throws(ConfigError) in try IniFile(contentsOfFile: "/nonexistent/dir/master.ini") }
        #expect(error?.code == .unreadableFile)
        #expect(error?.message.contains("/nonexistent/dir/master.ini") == true)
    }
}
