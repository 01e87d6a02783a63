extension BrokerINI {
    /// Checks the rules the Java broker enforces at start-up, plus ours: ports in 0...65535, positive
    /// sizes, a non-empty master list.
    ///
    /// Ports equal to 0 ("pick a free port") never conflict. Clamps are applied while loading, not here.
    ///
    /// - Throws: ``ConfigError``: ``ConfigError/Code/conflict`` when `port`, `webPort`, the TLS port,
    ///   the HTTPS webapi port (`webTLSPort`) or the prometheus port clash; ``ConfigError/Code/invalidValue`` for a port out of range, a size ≤ 0
    ///   or an empty master list; ``ConfigError/Code/blankValue`` for a blank `hostName` or
    ///   `primaryPath`, or a blank `visitName` or `visitPassword` while `visitMasterAuth` is on.
    public func validate() throws(ConfigError) {
        let broker = BrokerINI.section
        func key(_ name: String, _ section: String = broker) -> ConfigKey { ConfigKey(section: section, name: name) }
        func fail(_ code: ConfigError.Code, _ message: String, _ at: ConfigKey) -> ConfigError {
            fileOutline.error(code, message, at)
        }
        var ports = [(key("port"), port), (key("webPort"), webPort)]
        if tls.isEnabled { ports.append((key("tlsPort", "tlsSetting"), tls.port)) }
        if tls.isWebEnabled { ports.append((key("webTLSPort", "tlsSetting"), tls.webPort)) }
        if prometheus.isEnabled { ports.append((key("promHttpPort", "prometheus"), prometheus.httpPort)) }
        for (at, value) in ports where !(0...65535).contains(value) {
            throw fail(.invalidValue, "\(at.name) \(value) is not a port number (0...65535)", at)
        }
        func clash(_ a: Int, _ b: Int) -> Bool { a != 0 && a == b }
        if clash(port, webPort) || (tls.isEnabled && clash(tls.port, webPort)) {
            throw fail(
                .conflict,
                "Illegal port value configuration, the value of port or tlsPort cannot be the same as the value of webPort!",
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
        if hostName.isEmpty { throw fail(.blankValue, "hostName is null or Blank in broker section!", key("hostName")) }
        if primaryPath.isEmpty { throw fail(.blankValue, "Require primaryPath not Blank!", key("primaryPath")) }
        if masterAddresses.isEmpty {
            throw fail(.invalidValue, "masterAddressList is null or Blank in broker section!", key("masterAddressList"))
        }
        for (name, value) in [
            ("maxSegmentSize", maxSegmentSize), ("maxIndexSegmentSize", maxIndexSegmentSize),
            ("transferSize", transferSize), ("indexTransCount", indexTransCount),
        ] where value <= 0 {
            throw fail(.invalidValue, "\(name) must be > 0, not \(value)", key(name))
        }
        if visitMasterAuth {
            for (name, value) in [("visitName", visitName), ("visitPassword", visitPassword)] where value.isEmpty {
                throw fail(.blankValue, "\(name) is null or Blank in broker section!", key(name))
            }
        }
    }
}
