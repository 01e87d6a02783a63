/// The console page of a standby master in an HA group: it says the master is a hot standby and
/// links to the active master's console (its webapi calls would only be redirected there).
enum ConsoleStandbyPage {
    /// The page; `active` is the active master's console address (`http://host:webPort/`), `nil`
    /// while no master is active.
    static func text(active: String?) -> String {
        let link: String
        if let active {
            let escaped = escape(active)
            link = #"<p>The active master's console is at <a id="active-link" href="\#(escaped)">\#(escaped)</a>.</p>"#
        } else {
            link = #"<p id="no-active">No master is active at the moment; try again in a few seconds.</p>"#
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>TubeMQ console (standby master)</title>
            <link rel="stylesheet" href="/assets/console.css">
            </head>
            <body>
            <header><h1>TubeMQ console</h1></header>
            <main>
            <h2 id="standby">This master is a hot standby</h2>
            <p>It keeps the cluster's metadata and takes over if the active master fails; until then
            the active master serves the console and the webapi.</p>
            \(link)
            </main>
            </body>
            </html>
            """
    }

    /// `text` with the HTML special characters escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
