import NIOCore

/// The metadata of a znode (ZooKeeper's `Stat` record).
public struct Stat: Sendable, Hashable {
    /// The zxid of the change that created the node.
    public var czxid: Int64
    /// The zxid of the last change to the node's data.
    public var mzxid: Int64
    /// When the node was created, in milliseconds since the Unix epoch.
    public var ctime: Int64
    /// When the node's data last changed, in milliseconds since the Unix epoch.
    public var mtime: Int64
    /// The data version: 0 at creation, +1 per setData. Pass it to a conditional setData, delete or check.
    public var version: Int32
    /// The child version: +1 per child created or deleted.
    public var cversion: Int32
    /// The ACL version.
    public var aversion: Int32
    /// The id of the session owning an ephemeral node; 0 for a persistent node.
    public var ephemeralOwner: Int64
    /// The length of the node's data in bytes.
    public var dataLength: Int32
    /// The number of children.
    public var numChildren: Int32
    /// The zxid of the last child creation or deletion.
    public var pzxid: Int64

    /// Creates a stat from its fields.
    public init(
        czxid: Int64,
        mzxid: Int64,
        ctime: Int64,
        mtime: Int64,
        version: Int32,
        cversion: Int32,
        aversion: Int32,
        ephemeralOwner: Int64,
        dataLength: Int32,
        numChildren: Int32,
        pzxid: Int64
    ) {
        self.czxid = czxid
        self.mzxid = mzxid
        self.ctime = ctime
        self.mtime = mtime
        self.version = version
        self.cversion = cversion
        self.aversion = aversion
        self.ephemeralOwner = ephemeralOwner
        self.dataLength = dataLength
        self.numChildren = numChildren
        self.pzxid = pzxid
    }

    /// Whether the node is ephemeral (owned by a session).
    public var isEphemeral: Bool { ephemeralOwner != 0 }
}

extension ByteBuffer {
    /// Reads a 68-byte `Stat` record.
    mutating func readStat() throws(JuteDecodingError) -> Stat {
        guard readableBytes >= 68 else { throw JuteDecodingError(what: "Stat") }
        return Stat(
            czxid: try readJuteLong("Stat"),
            mzxid: try readJuteLong("Stat"),
            ctime: try readJuteLong("Stat"),
            mtime: try readJuteLong("Stat"),
            version: try readJuteInt("Stat"),
            cversion: try readJuteInt("Stat"),
            aversion: try readJuteInt("Stat"),
            ephemeralOwner: try readJuteLong("Stat"),
            dataLength: try readJuteInt("Stat"),
            numChildren: try readJuteInt("Stat"),
            pzxid: try readJuteLong("Stat")
        )
    }
}
