import Vapor

/// Runs `work` every `interval` while the server runs, from boot to shutdown. A failing run is
/// logged by its error's type only (never its text, which may carry data) and the next run goes on.
/// A job with a `holder` runs on one instance at a time: each run first takes or renews the job's
/// lease (`JobLease`) for a little longer than the interval, and skips while another instance holds it.
/// A job woken through `JobWakeups` runs at once instead of sleeping out its interval.
struct PeriodicJob: LifecycleHandler {
    let name: String
    let interval: Duration
    var holder: String? = nil
    /// Whether `JobWakeups` may wake it early (the outbox worker); the others sleep out their interval.
    var wakeable = false
    let work: @Sendable (Application) async throws -> Void

    /// Where each running job's task is kept, to cancel it and wait for it at shutdown.
    private struct Tasks: StorageKey {
        typealias Value = [String: Task<Void, Never>]
    }

    func didBootAsync(_ application: Application) async throws {
        let (name, interval, holder, wakeable, work) = (name, interval, holder, wakeable, work)
        let sleep: @Sendable () async -> Void = {
            if wakeable {
                await application.jobWakeups.sleep(name, for: interval)
            } else {
                try? await Task.sleep(for: interval)
            }
        }
        let leaseSeconds = Double(interval.components.seconds) + 5
        let task = Task {
            while !Task.isCancelled {
                do {
                    if let holder {
                        guard try await JobLease.claim(name, holder: holder, seconds: leaseSeconds, on: application.db)
                        else {
                            await sleep()
                            continue
                        }
                    }
                    try await work(application)
                } catch {
                    application.logger.warning("\(name): \(String(describing: type(of: error)))")
                }
                await sleep()
            }
        }
        var tasks = application.storage[Tasks.self] ?? [:]
        tasks[name] = task
        application.storage[Tasks.self] = tasks
    }

    /// Cancels the job and waits for its run in progress to end (a sleep ends at once).
    func shutdownAsync(_ application: Application) async {
        guard let task = application.storage[Tasks.self]?[name] else { return }
        task.cancel()
        await task.value
    }
}
