/// The version the master's and the broker's `admin_query_server_version` report.
package enum ServerVersion {
    /// This implementation's version.
    package static let text = "0.1.0"
}
