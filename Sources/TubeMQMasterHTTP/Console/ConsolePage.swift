/// The console's one HTML page. It carries no data: the scripts fill it from the webapi (and the
/// charts from the brokers' `/metrics`), and the content security policy lets only this server's own
/// scripts and styles run; the scripts may fetch from other origins (the brokers' web ports).
enum ConsolePage {
    static let text = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy"
          content="default-src 'self'; connect-src 'self' http: https:; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>TubeMQ console</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/assets/console.css">
        <link rel="stylesheet" href="/assets/console-charts.css">
        <script src="/assets/console-core.js" defer></script>
        <script src="/assets/console-groups.js" defer></script>
        <script src="/assets/console-offsets.js" defer></script>
        <script src="/assets/console-cluster.js" defer></script>
        <script src="/assets/console-topics.js" defer></script>
        <script src="/assets/console-charts.js" defer></script>
        </head>
        <body>
        <header>
          <h1>TubeMQ console</h1>
          <nav>
            <a href="#groups" id="nav-groups">Consumption</a>
            <a href="#cluster" id="nav-cluster">Cluster</a>
            <a href="#topics" id="nav-topics">Topics</a>
            <a href="#charts" id="nav-charts">Charts</a>
          </nav>
          <label class="token">confModAuthToken
            <input id="token" type="password" autocomplete="off" placeholder="needed for changes">
          </label>
        </header>
        <div id="status" role="status" aria-live="polite"></div>
        <main>
          <section id="page-groups" hidden></section>
          <section id="page-cluster" hidden></section>
          <section id="page-topics" hidden></section>
          <section id="page-charts" hidden></section>
        </main>
        <noscript>The console needs JavaScript.</noscript>
        </body>
        </html>

        """#
}
