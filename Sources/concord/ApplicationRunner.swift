import ArgumentParser
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
            let format = try LogFormat(environment: ProcessInfo.processInfo.environment)
            let instance = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)"
            loggingBootstrapped = true
            LoggingSystem.bootstrap { label in
                switch format {
                case .text:
                    var handler = StreamLogHandler.standardError(label: label)
                    handler.logLevel = logLevel
                    return handler
                case .json:
                    var handler = JSONLogHandler.standardError(label: label, instance: instance)
                    handler.logLevel = logLevel
                    return handler
                }
            }
        }
        environment.arguments = ["concord"] + arguments
        let app = try await Application.make(environment)
        app.logger.logLevel = logLevel
        do {
            try await configure(app, with: try .fromEnvironment())
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    /// What a one-off command does with the schema first.
    enum Schema {
        /// Migrate it (under the start-up lock), as `serve` does.
        case migrate
        /// Leave it alone, and refuse when it is behind this binary (a command beside a live server).
        case requireCurrent
        /// Leave it alone (the command migrates itself).
        case asIs
    }

    /// Runs a one-off command against the database.
    static func withApplication<T>(schema: Schema = .migrate, _ body: (Application) async throws -> T) async throws
        -> T
    {
        let app = try await makeApplication(arguments: [], logLevel: .warning)
        do {
            switch schema {
            case .migrate: try await StartupLock.run(app) { try await app.autoMigrate() }
            case .requireCurrent:
                let pending = try await StartupLock.pendingMigrations(app)
                if pending > 0 {
                    throw ValidationError(
                        "the database is \(pending) migration(s) behind this concord: run `concord migrate` first")
                }
            case .asIs: break
            }
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
