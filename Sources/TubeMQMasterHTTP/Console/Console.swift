import TubeMQWebSupport

/// The web console (`shared/spec/console.md`): one page with three tabs (consumption, cluster,
/// topics), served by every master at `/` beside `/webapi.htm`, its script and style sheet under
/// `/assets/`. Everything it shows or changes goes through the webapi; every asset is a string
/// constant of this module, so a master needs no files, CDN or network to serve it.
enum Console {
    /// One served file.
    struct Asset: Sendable {
        /// The file's text.
        var body: String
        /// Its `Content-Type`.
        var contentType: String
    }

    /// The page's paths: `/` (the Java server maps `/` to `index.htm`) and the `index` targets.
    static let pagePaths: Set<String> = ["/", "/index.htm", "/index.html"]

    /// The assets the page loads, by path.
    static let assets: [String: Asset] = [
        "/assets/console.css": Asset(body: ConsoleStyle.text, contentType: "text/css;charset=UTF-8"),
        "/assets/console-core.js": Asset(body: ConsoleCoreScript.text, contentType: javaScript),
        "/assets/console-groups.js": Asset(body: ConsoleGroupsScript.text, contentType: javaScript),
        "/assets/console-offsets.js": Asset(body: ConsoleOffsetsScript.text, contentType: javaScript),
        "/assets/console-cluster.js": Asset(body: ConsoleClusterScript.text, contentType: javaScript),
        "/assets/console-topics.js": Asset(body: ConsoleTopicsScript.text, contentType: javaScript),
        "/assets/console-charts.js": Asset(body: ConsoleChartsScript.text, contentType: javaScript),
        "/assets/console-charts.css": Asset(body: ConsoleChartsStyle.text, contentType: "text/css;charset=UTF-8"),
    ]

    static let javaScript = "text/javascript;charset=UTF-8"

    /// The console's answer for `path`: the page, an asset, or a 404 for any other path under
    /// `/assets/`; `nil` when the path is not the console's (the webapi answers it).
    static func reply(for path: String) -> WebReply? {
        if pagePaths.contains(path) {
            return WebReply(body: ConsolePage.text, contentType: "text/html;charset=UTF-8")
        }
        guard path.hasPrefix("/assets/") else { return nil }
        guard let asset = assets[path] else { return .notFound }
        return WebReply(body: asset.body, contentType: asset.contentType)
    }
}
