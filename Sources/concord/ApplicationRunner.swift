import ConcordServer
import Foundation
import Logging
import Vapor

/// Builds the application as `concord serve` would, runs `body`, and always shuts it down.
enum ApplicationRunner {
    nonisolated(unsafe) private static var loggingBootstrapped = false

    static func makeApplication(arguments: [String], logLevel: Logger.Level) async throws -> Application {
        var environment = Environment(name: "production", arguments: ["concord"] + arguments)
        if !loggingBootstrapped {
            loggingBootstrapped = true
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = logLevel
                return handler
            }
        }
        environment.arguments = ["concord"] + arguments
        let app = try await Application.make(environment)
        app.logger.logLevel = logLevel
        do {
            try await configure(app, with: .fromEnvironment())
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    /// Runs a one-off command against the migrated database.
    static func withApplication<T>(migrate: Bool = true, _ body: (Application) async throws -> T) async throws -> T {
        let app = try await makeApplication(arguments: [], logLevel: .warning)
        do {
            if migrate { try await app.autoMigrate() }
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
