import Synchronization
import Vapor

/// One-off work a request starts and does not wait for (storing a large TAXII envelope), tracked
/// so that shutdown waits for it instead of cutting it off mid-transaction. The work itself must
/// be durable (a row with a lease), since a crash still stops it; this only makes a clean stop clean.
final class BackgroundWork: Sendable {
    private let running = Mutex<[UUID: Task<Void, Never>]>([:])
    private let stopping = Mutex(false)

    /// Starts `work` unless shutdown has begun (then the work's lease lets another instance, or
    /// this one after its restart, take it up).
    func start(_ work: @escaping @Sendable () async -> Void) {
        let id = UUID()
        running.withLock { tasks in
            guard !stopping.withLock({ $0 }) else { return }
            tasks[id] = Task { [weak self] in
                await work()
                _ = self?.running.withLock { $0.removeValue(forKey: id) }
            }
        }
    }

    /// How many are running now.
    var count: Int { running.withLock { $0.count } }

    /// Refuses new work and waits for what is running.
    func finish() async {
        stopping.withLock { $0 = true }
        let tasks = running.withLock { Array($0.values) }
        for task in tasks { await task.value }
    }
}

/// Waits for `BackgroundWork` at shutdown.
struct BackgroundWorkLifecycle: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.backgroundWork.finish()
    }
}

extension Application {
    private struct BackgroundWorkKey: StorageKey { typealias Value = BackgroundWork }

    /// Installs the tracked one-off work and its wait at shutdown (`configure` does, once).
    func installBackgroundWork() {
        storage[BackgroundWorkKey.self] = BackgroundWork()
        lifecycle.use(BackgroundWorkLifecycle())
    }

    /// The application's tracked one-off work.
    var backgroundWork: BackgroundWork {
        guard let work = storage[BackgroundWorkKey.self] else {
            fatalError("configure(_:with:) has not run: BackgroundWork is missing")
        }
        return work
    }
}
