import Synchronization
import Testing

@testable import ConcordServer

/// One-off background work is tracked: shutdown waits for what runs and refuses new work.
@Suite struct BackgroundWorkTests {
    @Test func finishWaitsForRunningWorkAndRefusesNewWork() async {
        let work = BackgroundWork()
        let done = Mutex<[String]>([])
        let (gate, open) = AsyncStream<Void>.makeStream()
        work.start {
            for await _ in gate {}
            done.withLock { $0.append("first") }
        }
        #expect(work.count == 1)
        let finishing = Task { await work.finish() }
        open.finish()
        await finishing.value
        #expect(done.withLock { $0 } == ["first"], "finish returned before the work ended")
        #expect(work.count == 0)
        work.start { done.withLock { $0.append("after") } }
        #expect(work.count == 0, "work started after finish")
        #expect(done.withLock { $0 } == ["first"])
    }

    @Test func aShutDownApplicationHasWaitedForItsWork() async throws {
        let done = Mutex(false)
        try await withApp { app in
            // Many suspensions: untracked, the work would still be running when shutdown returned.
            app.backgroundWork.start {
                for _ in 0..<10_000 { await Task.yield() }
                done.withLock { $0 = true }
            }
        }
        #expect(done.withLock { $0 })
    }
}
