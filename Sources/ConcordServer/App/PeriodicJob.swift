import Vapor

/// Runs `work` every `interval` while the server runs, from boot to shutdown. A failing run is
/// logged by its error's type only (never its text, which may carry data) and the next run goes on.
struct PeriodicJob: LifecycleHandler {
    let name: String
    let interval: Duration
    let work: @Sendable (Application) async throws -> Void

    /// Where each running job's task is kept, to cancel it at shutdown.
    private struct Tasks: StorageKey {
        typealias Value = [String: Task<Void, Never>]
    }

    func didBootAsync(_ application: Application) async throws {
        let (name, interval, work) = (name, interval, work)
        let task = Task {
            while !Task.isCancelled {
                do {
                    try await work(application)
                } catch {
                    application.logger.warning("\(name): \(String(describing: type(of: error)))")
                }
                try? await Task.sleep(for: interval)
            }
        }
        var tasks = application.storage[Tasks.self] ?? [:]
        tasks[name] = task
        application.storage[Tasks.self] = tasks
    }

    func shutdownAsync(_ application: Application) async {
        application.storage[Tasks.self]?[name]?.cancel()
    }
}
