import Testing

@testable import TubeMQMasterHTTP

/// The web console is served beside the webapi: the page at `/`, its assets with their content
/// types, and 404 for any other asset path.
@Suite struct ConsoleTests {
    @Test func rootServesThePage() async throws {
        try await WebTestSupport.withMaster { _, client in
            let page = try await client.raw("/")
            #expect(page.status == 200)
            #expect(page.contentType == "text/html;charset=UTF-8")
            #expect(page.text.hasPrefix("<!DOCTYPE html>"))
            #expect(page.text.contains("/assets/console-core.js"))
            #expect(page.text.contains("Content-Security-Policy"))
            let index = try await client.raw("/index.htm")
            #expect(index.text == page.text)
        }
    }

    @Test func assetsHaveTheirContentTypes() async throws {
        try await WebTestSupport.withMaster { _, client in
            let style = try await client.raw("/assets/console.css")
            #expect(style.status == 200)
            #expect(style.contentType == "text/css;charset=UTF-8")
            for script in ["core", "groups", "offsets", "cluster", "topics"] {
                let answer = try await client.raw("/assets/console-\(script).js")
                #expect(answer.status == 200)
                #expect(answer.contentType == "text/javascript;charset=UTF-8")
                #expect(answer.text.hasPrefix("\"use strict\";"))
            }
        }
    }

    @Test func unknownAssetsAreNotFound() async throws {
        try await WebTestSupport.withMaster { _, client in
            for path in ["/assets/nothing.js", "/assets/", "/assets/console.css/x", "/console.css"] {
                let answer = try await client.raw(path)
                #expect(answer.status == 404, "\(path)")
            }
            let api = try await client.query("admin_query_server_version")
            #expect(api.result == true, "the webapi still answers")
        }
    }

    @Test func scriptsNeverInsertMarkup() throws {
        // Data from the server reaches the page only as text: no innerHTML, outerHTML,
        // insertAdjacentHTML or document.write anywhere in the console's scripts.
        for (path, asset) in Console.assets where path.hasSuffix(".js") {
            for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("] {
                #expect(!asset.body.contains(sink), "\(path) uses \(sink)")
            }
        }
    }
}
