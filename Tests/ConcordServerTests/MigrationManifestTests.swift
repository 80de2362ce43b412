import Foundation
import Testing
import Vapor

/// Landed migrations are never edited: `Migrations.sha256` (at the repository's root) holds the
/// SHA-256 of every migration file that has landed, and this test fails when one of them differs
/// or a migration file is not listed (`scripts/migration-sums` adds new ones, never changing a line).
@Suite struct MigrationManifestTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// What is wrong between the manifest's lines and the migration files (path to contents).
    static func problems(manifest: String, files: [String: Data]) -> [String] {
        var listed: [String: String] = [:]
        var problems: [String] = []
        for line in manifest.split(separator: "\n") where !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2 else {
                problems.append("manifest line is not '<sha256>  <path>': \(line)")
                continue
            }
            listed[parts[1].trimmingCharacters(in: .whitespaces)] = String(parts[0])
        }
        for (path, sum) in listed.sorted(by: { $0.key < $1.key }) {
            guard let contents = files[path] else {
                problems.append("\(path) is in the manifest but gone: a landed migration is never removed")
                continue
            }
            if hex(SHA256.hash(data: contents)) != sum {
                problems.append("\(path) changed after it landed: add a new migration instead")
            }
        }
        for path in files.keys.sorted() where listed[path] == nil {
            problems.append("\(path) is not in Migrations.sha256: run scripts/migration-sums")
        }
        return problems
    }

    /// Every Swift file under `Sources` that declares a migration, by path from the repository.
    static func migrationFiles() throws -> [String: Data] {
        let sources = repository.appendingPathComponent("Sources")
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let data = try Data(contentsOf: url)
            let text = String(decoding: data, as: UTF8.self)
            guard text.contains(/:\s*(Async)?Migration\s*\{/) else { continue }
            let path = url.standardizedFileURL.path.dropFirst(repository.standardizedFileURL.path.count + 1)
            files[String(path)] = data
        }
        return files
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    @Test func everyLandedMigrationIsAsItLanded() throws {
        let manifest = try String(
            contentsOf: Self.repository.appendingPathComponent("Migrations.sha256"), encoding: .utf8)
        let files = try Self.migrationFiles()
        #expect(files.count >= 41, "the migration files were not found under Sources")
        #expect(Self.problems(manifest: manifest, files: files) == [])
    }

    @Test func anEditedARemovedAndAnUnlistedMigrationAreEachNamed() {
        let landed = Data("struct CreateThing: AsyncMigration {}\n".utf8)
        let manifest = """
            \(Self.hex(SHA256.hash(data: landed)))  Sources/A/CreateThing.swift
            \(Self.hex(SHA256.hash(data: landed)))  Sources/A/CreateGone.swift

            """
        let problems = Self.problems(
            manifest: manifest,
            files: [
                "Sources/A/CreateThing.swift": Data("struct CreateThing: AsyncMigration { /* edited */ }\n".utf8),
                "Sources/A/CreateNew.swift": landed,
            ])
        #expect(
            problems == [
                "Sources/A/CreateGone.swift is in the manifest but gone: a landed migration is never removed",
                "Sources/A/CreateThing.swift changed after it landed: add a new migration instead",
                "Sources/A/CreateNew.swift is not in Migrations.sha256: run scripts/migration-sums",
            ])
        #expect(Self.problems(manifest: manifest, files: ["Sources/A/CreateThing.swift": landed]).count == 1)
    }

    /// The `Create…` migrations that landed making several tables, before the rule of one table each.
    static let severalTablesBeforeTheRule: Set<String> = [
        "CreateCorrelationTables.swift", "CreateCommCheckTables.swift", "CreateDrillTables.swift",
        "CreateFeedTables.swift", "CreateSensorTables.swift", "CreateSurgeTables.swift", "CreateSharingTables.swift",
    ]

    /// `Create…` migrations that create more than one table (`.create()`), by file name.
    static func severalTables(in files: [String: Data]) -> [String] {
        files.compactMap { path, data -> String? in
            let name = (path as NSString).lastPathComponent
            guard name.hasPrefix("Create"), !severalTablesBeforeTheRule.contains(name) else { return nil }
            let creates = String(decoding: data, as: UTF8.self).components(separatedBy: ".create()").count - 1
            return creates > 1 ? name : nil
        }.sorted()
    }

    @Test func everyNewCreateMigrationMakesOneTable() throws {
        #expect(Self.severalTables(in: try Self.migrationFiles()) == [])
        let two = Data("try await a.create()\ntry await b.create()\n".utf8)
        #expect(Self.severalTables(in: ["Sources/A/CreateTwo.swift": two]) == ["CreateTwo.swift"])
        #expect(Self.severalTables(in: ["Sources/A/CreateDrillTables.swift": two]) == [], "landed before the rule")
        #expect(Self.severalTables(in: ["Sources/A/UpdateTwo.swift": two]) == [], "only Create… migrations")
    }
}
