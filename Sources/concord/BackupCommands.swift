import ArgumentParser
import ConcordServer
import Foundation
import SQLKit
import Vapor

/// `concord backup --to FILE`: a consistent copy of the database and the data folder, taken
/// while the server runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database and the data folder (keys, attachments) into one file, while serving.")

    @ArgumentParser.Option(help: "The file to write (replaced only once it is complete).") var to: String

    func run() async throws {
        let manifest = try await ApplicationRunner.withApplication(schema: .requireCurrent) { app in
            try await Backup.take(app, to: to)
        }
        print(
            "backed up the \(manifest.database) database (\(manifest.migrations) migrations) and the data folder to \(to)"
        )
    }
}

/// `concord restore FILE`: loads a backup into an empty database and an empty data folder.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Load a backup into an empty database and an empty data folder.")

    @ArgumentParser.Argument(help: "The file `concord backup` wrote.") var file: String

    func run() async throws {
        let configuration = try ConcordConfiguration.fromEnvironment()
        let empty: Bool
        switch configuration.database {
        case .sqliteFile(let path):
            // Not opened: opening would create the file the copy goes to.
            empty = !FileManager.default.fileExists(atPath: path)
        case .postgres, .sqliteMemory:
            empty = try await ApplicationRunner.withApplication(schema: .asIs) { app in
                try await ConcordDatabaseState.isEmpty(app)
            }
        }
        let manifest = try await Backup.restore(
            from: file, into: configuration, emptyDatabase: empty, knownMigrations: ConcordDatabaseState.knownMigrations
        )
        print(
            "restored the \(manifest.database) database (\(manifest.migrations) migrations) and the data folder from \(file)"
        )
    }
}
