/// Polls `condition` every 10 ms until it holds or `timeoutMs` of real time pass; returns whether
/// it held. For effects of the master's own timer task, which runs asynchronously.
func eventually(timeoutMs: Int = 3_000, _ condition: () async -> Bool) async -> Bool {
    for _ in 0..<max(1, timeoutMs / 10) {
        if await condition() { return true }
        try? await Task.sleep(nanoseconds: 10_000_000)
    }
    return await condition()
}
