import PostgresKit
import Synchronization
import Vapor

/// On PostgreSQL, hears each `CacheRevision` bump as its transaction commits: a connection of its
/// own runs `LISTEN concord_revisions` and has the `RevisionWatch` check on each notification.
/// A lost connection is opened again after a second; the watch's poll covers the gap.
struct RevisionListener: LifecycleHandler {
    let url: String
    let watch: RevisionWatch

    /// The listening task and its connection, to end both at shutdown.
    private final class Running: Sendable {
        let task = Mutex<Task<Void, Never>?>(nil)
        let connection = Mutex<PostgresConnection?>(nil)
    }

    private struct RunningKey: StorageKey { typealias Value = Running }

    func didBootAsync(_ application: Application) async throws {
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        let (watch, running) = (watch, Running())
        application.storage[RunningKey.self] = running
        let task = Task {
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(
                        on: application.eventLoopGroup.any(), configuration: configuration, id: 0,
                        logger: application.logger)
                    running.connection.withLock { $0 = connection }
                    try await connection.listen(on: CacheRevision.channel) { notifications in
                        // A change committed while the connection was down is caught up first.
                        try await watch.check(application)
                        for try await _ in notifications { try await watch.check(application) }
                    }
                } catch {
                    if Task.isCancelled { break }
                    application.logger.warning("revision listener: \(String(describing: type(of: error)))")
                }
                let connection = running.connection.withLock { connection in
                    defer { connection = nil }
                    return connection
                }
                try? await connection?.close()
                try? await Task.sleep(for: .seconds(1))
            }
        }
        running.task.withLock { $0 = task }
    }

    func shutdownAsync(_ application: Application) async {
        guard let running = application.storage[RunningKey.self] else { return }
        running.task.withLock { $0?.cancel() }
        let connection = running.connection.withLock { connection in
            defer { connection = nil }
            return connection
        }
        try? await connection?.close()
    }
}
