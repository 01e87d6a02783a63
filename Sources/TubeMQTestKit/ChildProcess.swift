import Synchronization

#if canImport(Glibc)
public import Glibc
#endif

/// A child process started with posix_spawn and reaped with waitpid (Foundation's `Process` did not
/// reap the JVM reliably next to NIO's threads and then spun in `waitUntilExit`).
///
/// The child starts with SIGINT and SIGTERM at their default actions and no signal blocked, as from a
/// terminal, whatever this process did with them.
public final class ChildProcess: Sendable {
    /// posix_spawn failed.
    public struct SpawnFailed: Error, CustomStringConvertible {
        /// The error number.
        public var errno: Int32
        public var description: String { "posix_spawn failed: errno \(errno)" }
    }

    /// The process id.
    public let pid: pid_t
    /// The exit status once reaped: the exit code, or 128 + the signal that ended it.
    private let status = Mutex<Int32?>(nil)

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Starts `arguments[0]` with stdout and stderr appended to `output` and stdin from `input`.
    public static func spawn(_ arguments: [String], output: String, input: String = "/dev/null") throws -> ChildProcess
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeInheritedDescriptors(&actions)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else { throw SpawnFailed(errno: result) }
        return ChildProcess(pid: pid)
    }

    /// Has the child close every descriptor past stderr: an inherited listening socket would keep a
    /// stopped server's port bound for as long as the child lives (NIO's sockets are not close-on-exec).
    /// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np` when there (the Glibc module does not
    /// declare it), else a close for each descriptor open now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let descriptor = Int32(name), descriptor > 2 { descriptors.append(descriptor) }
        }
        // The directory's own descriptor is in the list too; closing it in the child is harmless.
        for descriptor in descriptors { posix_spawn_file_actions_addclose(&actions, descriptor) }
    }

    /// Sends `signal` (ignored once the process is gone).
    public func signal(_ signal: Int32) {
        if !hasExited() { Glibc.kill(pid, signal) }
    }

    /// Whether the process has ended (reaps it if so).
    public func hasExited() -> Bool {
        exitStatus() != nil
    }

    /// The exit code, or 128 + the signal that ended the process; `nil` while it runs (reaps it once
    /// it has ended).
    public func exitStatus() -> Int32? {
        status.withLock { known in
            if let known { return known }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                let signal = raw & 0x7F
                known = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
            } else if result == -1 && errno == ECHILD {
                known = -1  // reaped elsewhere: the status is lost
            }
            return known
        }
    }

    /// Waits (polling every 20 ms, without blocking a thread) until the process ends or `timeout`
    /// passes; returns ``exitStatus()``.
    public func exit(within timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus() { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return exitStatus()
    }
}
