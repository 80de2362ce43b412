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

    /// Runs a one-off command against the database. Only a command that `creates` it (`demo`,
    /// `migrate`) may start from no database: any other would make an empty one wherever it was
    /// run and answer from it as if the forum had nothing.
    static func withApplication<T>(
        schema: Schema = .migrate, creates: Bool = false, _ body: (Application) async throws -> T
    ) async throws -> T {
        let configuration = try ConcordConfiguration.fromEnvironment()
        if !creates, case .sqliteFile(let path) = configuration.database, !FileManager.default.fileExists(atPath: path)
        {
            throw CommandFailure(
                description:
                    "no Concord database in \(configuration.dataDirectory); set CONCORD_DATA_DIR or run `concord serve` first"
            )
        }
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

/// A command's refusal, printed as the one line `concord` ends with.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}
