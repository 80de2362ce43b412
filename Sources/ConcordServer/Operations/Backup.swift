import Fluent
import Foundation
import SQLKit
import Vapor

/// `concord backup` and `concord restore`: one file that holds a consistent copy of the database
/// and the data folder (the forum's GnuPG home, incident attachments), taken while the server
/// runs. The database is copied first, in one snapshot (SQLite's `VACUUM INTO`; PostgreSQL's
/// `pg_dump` in its custom format, one repeatable-read transaction), then the files: an
/// attachment's bytes are written before its row commits, so every row in the copy finds its file.
/// The file is a gzip'd tar of `manifest.json`, the database and `data.tar`.
public enum Backup {
    /// What `manifest.json` says about the copy.
    public struct Manifest: Codable, Sendable, Equatable {
        public var format = 1
        /// `sqlite` or `postgresql`: a copy is restored into the same kind of database.
        public let database: String
        /// The migrations the copied schema has, to refuse a restore by an older binary.
        public let migrations: Int
    }

    static let sqliteFile = "database.sqlite"
    static let postgresFile = "database.pgdump"

    /// Writes the backup of `app`'s database and data folder to `file` (replaced atomically).
    public static func take(_ app: Application, to file: String) async throws -> Manifest {
        let staging = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let configuration = app.concord
        switch configuration.database {
        case .sqliteFile:
            guard let sql = app.db as? any SQLDatabase else { throw ConcordError(.unavailable, "backups need SQL") }
            try await sql.raw("VACUUM INTO \(bind: (staging as NSString).appendingPathComponent(sqliteFile))").run()
        case .postgres(let url):
            try await run(
                "pg_dump",
                [
                    "--format=custom", "--no-owner", "--file",
                    (staging as NSString).appendingPathComponent(postgresFile), url,
                ])
        case .sqliteMemory:
            throw ConcordError(.unavailable, "an in-memory database cannot be backed up")
        }
        let migrations = try await app.db.query(MigrationLog.self).count()
        let manifest = Manifest(database: configuration.database.kind, migrations: migrations)
        try JSONEncoder().encode(manifest).write(to: URL(fileURLWithPath: "\(staging)/manifest.json"))
        try await archiveDataFolder(configuration, into: "\(staging)/data.tar")
        let partial = file + ".partial"
        try await run("tar", ["-C", staging, "-czf", partial, "."])
        _ = try? FileManager.default.removeItem(atPath: file)
        try FileManager.default.moveItem(atPath: partial, toPath: file)
        return manifest
    }

    /// The data folder without the live SQLite files (copied above) or GnuPG's sockets.
    private static func archiveDataFolder(_ configuration: ConcordConfiguration, into archive: String) async throws {
        var excluded = ["./gnupg/S.*"]
        if case .sqliteFile(let path) = configuration.database {
            let name = (path as NSString).lastPathComponent
            excluded += ["./\(name)", "./\(name)-wal", "./\(name)-shm", "./\(name).lock"]
        }
        try await run(
            "tar", ["-C", configuration.dataDirectory] + excluded.map { "--exclude=\($0)" } + ["-cf", archive, "."])
    }

    /// Loads `file` into an empty database and data folder, as `configuration` names them. On
    /// PostgreSQL `emptyDatabase` says whether the target has no tables yet (the caller asks it).
    public static func restore(
        from file: String, into configuration: ConcordConfiguration, emptyDatabase: Bool, knownMigrations: Int
    ) async throws -> Manifest {
        guard FileManager.default.fileExists(atPath: file) else {
            throw ConcordError(.notFound, "no backup at \(file)")
        }
        let staging = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try await run("tar", ["-C", staging, "-xzf", file])
        guard let data = FileManager.default.contents(atPath: "\(staging)/manifest.json"),
            let manifest = try? JSONDecoder().decode(Manifest.self, from: data), manifest.format == 1
        else { throw ConcordError(.validation, "\(file) is not a Concord backup (no manifest.json)") }
        guard manifest.database == configuration.database.kind else {
            throw ConcordError(
                .validation,
                "\(file) holds a \(manifest.database) database; restore it into \(manifest.database), not \(configuration.database.kind)"
            )
        }
        guard manifest.migrations <= knownMigrations else {
            throw ConcordError(.validation, "\(file) was made by a newer concord (\(manifest.migrations) migrations)")
        }
        let folder = configuration.dataDirectory
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        guard emptyDatabase, contents.isEmpty else {
            throw ConcordError(
                .conflict, "restore needs an empty database and an empty data folder (\(folder)); nothing was changed")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        switch configuration.database {
        case .sqliteFile(let path):
            try FileManager.default.copyItem(atPath: "\(staging)/\(sqliteFile)", toPath: path)
        case .postgres(let url):
            try await run(
                "pg_restore",
                ["--no-owner", "--no-privileges", "--exit-on-error", "--dbname", url, "\(staging)/\(postgresFile)"])
        case .sqliteMemory:
            throw ConcordError(.unavailable, "an in-memory database cannot be restored into")
        }
        try await run("tar", ["-C", folder, "-xf", "\(staging)/data.tar"])
        return manifest
    }

    private static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("concord-backup-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs a tool; its failure is one line naming it and the first line it printed.
    private static func run(_ tool: String, _ arguments: [String]) async throws {
        let output = try await ProcessRunner.run(tool, arguments: arguments, timeLimit: .seconds(3600))
        guard output.status == 0 else {
            let reason = output.stderr.split(separator: "\n").first.map(String.init) ?? "exit status \(output.status)"
            throw ConcordError(.unavailable, "\(tool) failed: \(reason)")
        }
    }
}

/// What a restore asks of the target database before it writes.
public enum ConcordDatabaseState {
    /// How many migrations this binary knows.
    public static var knownMigrations: Int { ConcordMigrations.all.count }

    /// Whether the database has no tables yet (PostgreSQL's `public` schema; SQLite's catalogue).
    public static func isEmpty(_ app: Application) async throws -> Bool {
        guard let sql = app.db as? any SQLDatabase else { throw ConcordError(.unavailable, "restores need SQL") }
        let query: SQLQueryString =
            sql.dialect.name == "postgresql"
            ? "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'"
            : "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'"
        let row = try await sql.raw(query).first()
        return try (row?.decode(column: "n", as: Int.self) ?? 0) == 0
    }
}
