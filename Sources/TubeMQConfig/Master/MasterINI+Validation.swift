extension MasterINI {
    /// Checks the rules the Java master enforces at start-up, and that every port is in 0...65535.
    ///
    /// Ports equal to 0 ("pick a free port") never conflict. Clamps are applied while loading, not here.
    ///
    /// - Throws: ``ConfigError``: ``ConfigError/Code/conflict`` when `port`, `webPort`, the TLS port,
    ///   the HTTPS webapi port (`webTLSPort`), the prometheus port or the BDB `repNodePort` clash, or an authorize flag is set without its
    ///   authenticate flag; ``ConfigError/Code/invalidValue`` for a port out of range, a
    ///   `confModAuthToken` over 128 characters or `maxGroupBrokerConsumeRate` ≤ 0;
    ///   ``ConfigError/Code/blankValue`` for a blank `webResourcePath`, or a blank `visitName` or
    ///   `visitPassword` while `needBrokerVisitAuth` is on.
    public func validate() throws(ConfigError) {
        let master = MasterINI.section
        func key(_ name: String, _ section: String = master) -> ConfigKey { ConfigKey(section: section, name: name) }
        func fail(_ code: ConfigError.Code, _ message: String, _ at: ConfigKey) -> ConfigError {
            fileOutline.error(code, message, at)
        }
        var ports = [(key("port"), port), (key("webPort"), webPort)]
        if tls.isEnabled { ports.append((key("tlsPort", "tlsSetting"), tls.port)) }
        if tls.isWebEnabled { ports.append((key("webTLSPort", "tlsSetting"), tls.webPort)) }
        if prometheus.isEnabled { ports.append((key("promHttpPort", "prometheus"), prometheus.httpPort)) }
        let bdb = metaStore?.bdb
        let nodePortKey = key(
            bdb?.source == .bdbStore ? "bdbNodePort" : "repNodePort",
            bdb?.source.rawValue ?? "meta_bdb"
        )
        if let bdb { ports.append((nodePortKey, bdb.nodePort)) }
        for (at, value) in ports where !(0...65535).contains(value) {
            throw fail(.invalidValue, "\(at.name) \(value) is not a port number (0...65535)", at)
        }
        func clash(_ a: Int, _ b: Int) -> Bool { a != 0 && a == b }
        if clash(port, webPort) || (tls.isEnabled && clash(tls.port, webPort)) {
            throw fail(
                .conflict,
                "Illegal field value configuration, the value of port or tlsPort cannot be the same as the value of webPort!",
                key("webPort")
            )
        }
        try tls.checkWebPort(port: port, webPort: webPort, prometheus: prometheus, fail: fail)
        if prometheus.isEnabled {
            let promPort = prometheus.httpPort
            if clash(promPort, port) || clash(promPort, webPort) || (tls.isEnabled && clash(promPort, tls.port)) {
                throw fail(
                    .conflict,
                    "Illegal port value configuration, the value of port or webPort or tlsPort cannot be the same as the value of promHttpPort!",
                    key("promHttpPort", "prometheus")
                )
            }
        }
        if let bdb {
            let at = nodePortKey
            if clash(bdb.nodePort, port) || (tls.isEnabled && clash(bdb.nodePort, tls.port)) {
                throw fail(
                    .conflict,
                    "the value of port or tlsPort cannot be the same as the value of repNodePort!",
                    at
                )
            }
            if clash(bdb.nodePort, webPort) {
                throw fail(.conflict, "the value of webPort cannot be the same as the value of repNodePort!", at)
            }
            if prometheus.isEnabled && clash(bdb.nodePort, prometheus.httpPort) {
                throw fail(.conflict, "promHttpPort cannot be the same as the value of repNodePort!", at)
            }
        }
        if webResourcePath.isEmpty {
            throw fail(.blankValue, "webResourcePath is null or Blank in master section!", key("webResourcePath"))
        }
        if confModAuthToken.utf16.count > 128 {
            throw fail(
                .invalidValue,
                "Invalid value: the length of confModAuthToken's value > 128",
                key("confModAuthToken")
            )
        }
        if maxGroupBrokerConsumeRate <= 0 {
            throw fail(
                .invalidValue,
                "Invalid value: maxGroupBrokerConsumeRate's value must > 0 !",
                key("maxGroupBrokerConsumeRate")
            )
        }
        if startProduceAuthorize && !startProduceAuthenticate {
            throw fail(
                .conflict,
                "startProduceAuthenticate must set true if startProduceAuthorize is true!",
                key("startProduceAuthorize")
            )
        }
        if startConsumeAuthorize && !startConsumeAuthenticate {
            throw fail(
                .conflict,
                "startConsumeAuthenticate must set true if startConsumeAuthorize is true!",
                key("startConsumeAuthorize")
            )
        }
        if needBrokerVisitAuth {
            for (name, value) in [("visitName", visitName), ("visitPassword", visitPassword)] where value.isEmpty {
                throw fail(.blankValue, "\(name) is null or Blank in master section!", key(name))
            }
        }
    }
}
