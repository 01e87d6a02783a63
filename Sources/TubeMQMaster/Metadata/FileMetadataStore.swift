import Foundation
import TubeMQCore
public import TubeMQMasterState

/// The embedded ``MetadataStore``: one JSON snapshot file in the master's data directory, rewritten
/// atomically after every batch of changes (see `docs/metadata-store.md`).
///
/// Layout of the directory:
/// * `master-metadata.json`: the durable state, replaced by `rename(2)` of a fully written and
///   `fsync`ed temporary file, then the directory is `fsync`ed. A crash leaves either the old or the
///   new file, never a torn one.
/// * `master-metadata.json.tmp`: the file being written; ignored and overwritten on the next write.
/// * `LOCK`: held with `flock(LOCK_EX)` while the store is open, so two masters never share a
///   directory.
///
/// Writes block the store's executor for the duration of one small write and two `fsync`s; they
/// happen only when an admin or a broker changes metadata, and on shutdown.
public actor FileMetadataStore: MetadataStore {
    /// The name of the snapshot file.
    public static let fileName = "master-metadata.json"

    /// The data directory.
    public nonisolated let directory: String
    private var lock: FileLock?
    private var lastVersion: UInt64 = 0

    /// Opens (creating it if needed) the data directory `directory` and takes its lock.
    ///
    /// - Throws: ``MetadataStoreError`` `.io` when the directory cannot be created, `.locked` when
    ///   another process holds it.
    public init(directory: String) throws(MetadataStoreError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw MetadataStoreError(.io, "cannot create the data directory \(directory): \(SystemErrorText.of(error))")
        }
        self.lock = try FileLock(path: directory + "/LOCK")
    }

    deinit { lock?.release() }

    private var path: String { directory + "/" + Self.fileName }

    /// Reads the snapshot file, or `nil` when there is none yet.
    ///
    /// - Throws: ``MetadataStoreError`` `.corrupt` when the file cannot be decoded, `.io` when it
    ///   cannot be read, `.closed` after ``close()``.
    public func load() async throws(MetadataStoreError) -> MasterSnapshot? {
        guard lock != nil else { throw MetadataStoreError(.closed, "the store at \(directory) is closed") }
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw MetadataStoreError(.io, "cannot read \(path)", underlying: error)
        }
        do {
            let file = try JSONDecoder().decode(StoredMetadata.self, from: data)
            guard file.format == StoredMetadata.formatName else {
                throw MetadataStoreError(.corrupt, "\(path) is not a TubeMQ master metadata file")
            }
            return file.snapshot
        } catch let error as MetadataStoreError {
            throw error
        } catch {
            throw MetadataStoreError(.corrupt, "cannot decode \(path)", underlying: error)
        }
    }

    /// Writes `change.snapshot` atomically and durably, unless a later version was already written.
    ///
    /// - Throws: ``MetadataStoreError`` `.io` when encoding, writing, syncing or renaming fails,
    ///   `.closed` after ``close()``.
    public func persist(_ change: MetadataChange) async throws(MetadataStoreError) {
        guard lock != nil else { throw MetadataStoreError(.closed, "the store at \(directory) is closed") }
        guard change.version > lastVersion else { return }
        let file = StoredMetadata(version: change.version, snapshot: change.snapshot)
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            data = try encoder.encode(file)
        } catch {
            throw MetadataStoreError(.io, "cannot encode the metadata snapshot", underlying: error)
        }
        try AtomicFile.replace(path: path, directory: directory, with: data)
        lastVersion = change.version
    }

    /// Releases the directory lock; later calls fail with `.closed`.
    public func close() async throws(MetadataStoreError) {
        lock?.release()
        lock = nil
    }
}

/// The snapshot file's content: a format tag, then the snapshot.
struct StoredMetadata: Codable {
    static let formatName = "tubemq-master-metadata"

    var format: String = StoredMetadata.formatName
    var version: UInt64
    var snapshot: MasterSnapshot
}
