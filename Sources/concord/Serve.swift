import ArgumentParser
import ConcordServer
import Foundation
import Vapor

/// `concord serve`: migrates, optionally loads the demo forum, and serves HTTP.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the server (migrates first).",
        discussion: "Environment:\n" + ConcordConfiguration.documentation)

    @ArgumentParser.Option(help: "Address to listen on.") var hostname = "127.0.0.1"
    @ArgumentParser.Option(help: "Port to listen on.") var port = 8080
    @ArgumentParser.Flag(help: "Load the demonstration forum when the database is empty.") var demo = false
    @ArgumentParser.Flag(help: "Do not run migrations before serving.") var noMigrate = false

    func run() async throws {
        let app = try await ApplicationRunner.makeApplication(
            arguments: ["serve", "--hostname", hostname, "--port", String(port)], logLevel: .info)
        do {
            // Instances started together take turns here: one migrates and loads the demo, the
            // others find both done.
            let (migrate, demo) = (!noMigrate, demo)
            let (applied, credentials) = try await StartupLock.run(app) {
                let pending = migrate ? try await StartupLock.pendingMigrations(app) : 0
                if migrate { try await app.autoMigrate() }
                return (pending, demo ? try await DemoLoader.loadIfEmpty(app: app) : nil)
            }
            // One line per phase, the credentials last; Vapor's "Server started on …" follows.
            let database = app.concord.database.kind == "postgresql" ? "PostgreSQL" : "SQLite"
            var lines = [
                !migrate
                    ? "\(database): migrations left to `concord migrate`"
                    : applied == 0
                        ? "\(database): the schema is up to date"
                        : "\(database): \(applied) migration\(applied == 1 ? "" : "s") applied"
            ]
            if let credentials {
                lines.append(DemoPrinter.text(credentials, server: Self.address(hostname: hostname, port: port)))
            }
            // Unbuffered, so the credentials show at once even when stdout is a file or a pipe.
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            useRevisionWatch(app)
            useBackgroundJobs(app)
            try await app.execute()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

extension Serve {
    /// Where a client on this machine reaches the server: a wildcard listening address is
    /// reached on loopback.
    static func address(hostname: String, port: Int) -> String {
        let host = ["0.0.0.0", "::", "[::]"].contains(hostname) ? "127.0.0.1" : hostname
        return "http://\(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host):\(port)"
    }
}

/// `concord migrate`: applies (or reverts) the migrations.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the database migrations.")

    @ArgumentParser.Flag(help: "Revert every migration instead (destroys all data).") var revert = false

    func run() async throws {
        try await ApplicationRunner.withApplication(schema: .asIs, creates: true) { app in
            try await StartupLock.run(app) {
                if revert { try await app.autoRevert() } else { try await app.autoMigrate() }
            }
        }
        print(revert ? "reverted all migrations" : "migrations applied")
    }
}
