import Synchronization
import Vapor

/// Early wake-ups for periodic jobs: a job sleeping out its interval returns as soon as it is
/// woken (the outbox worker, when a new message has committed on any instance), so the interval
/// is only the fallback. A wake that comes while the job runs is kept for its next sleep.
final class JobWakeups: Sendable {
    private let pending = Mutex<Set<String>>([])

    /// Wakes the job `name` now, or at the start of its next sleep.
    func wake(_ name: String) {
        _ = pending.withLock { $0.insert(name) }
    }

    /// Sleeps up to `interval`, checking for a wake-up every `tick`; returns early when woken.
    func sleep(_ name: String, for interval: Duration, tick: Duration = .milliseconds(50)) async {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: interval)
        while clock.now < end, !Task.isCancelled {
            if pending.withLock({ $0.remove(name) }) != nil { return }
            try? await Task.sleep(for: min(tick, clock.now.duration(to: end)))
        }
        _ = pending.withLock { $0.remove(name) }
    }
}

extension Application {
    private struct JobWakeupsKey: StorageKey { typealias Value = JobWakeups }

    /// The application's job wake-ups (set by `configure`).
    var jobWakeups: JobWakeups {
        get {
            guard let wakeups = storage[JobWakeupsKey.self] else {
                fatalError("configure(_:with:) has not run: JobWakeups is missing")
            }
            return wakeups
        }
        set { storage[JobWakeupsKey.self] = newValue }
    }
}
