import ConcordCore
import Fluent
import Foundation

/// The forum's scenario library: scenarios are stored as uploaded, with their files, once
/// `ScenarioReader` finds nothing wrong with them.
enum DrillLibrary {
    /// The largest scenario text, and the largest attachment, taken.
    static let maxSourceBytes = 1 << 20
    static let maxFileBytes = 25 << 20

    /// Stores a scenario and its files, or throws a 422 listing every problem with its line.
    static func add(source: String, files: [String: Data], by user: UUID, at now: Date, on db: any Database)
        async throws -> (DrillScenarioRecord, DrillScenario)
    {
        guard source.utf8.count <= maxSourceBytes else {
            throw ConcordError.invalid(field: "source", "must be at most \(maxSourceBytes) bytes")
        }
        if let large = files.first(where: { $0.value.count > maxFileBytes }) {
            throw ConcordError.invalid(field: "files.\(large.key)", "must be at most \(maxFileBytes) bytes")
        }
        let scenario = try read(source, files: Set(files.keys))
        let record = DrillScenarioRecord()
        record.id = UUID()
        record.title = scenario.title
        record.source = source
        record.summary = scenario.summary
        record.uploadedBy = user
        record.createdAt = now
        let named = Set(scenario.injects.flatMap(\.attachments))
        try await db.writeTransaction { db in
            try await record.create(on: db)
            for (name, content) in files.sorted(by: { $0.key < $1.key }) where named.contains(name) {
                let file = DrillScenarioFile()
                file.scenarioID = try record.requireID()
                file.name = name
                file.content = content
                try await file.create(on: db)
            }
        }
        return (record, scenario)
    }

    /// The scenario of a stored record (read again: the library keeps the text, not a parse).
    static func scenario(of record: DrillScenarioRecord, on db: any Database) async throws -> DrillScenario {
        let files = try await DrillScenarioFile.query(on: db).filter(\.$scenarioID == record.requireID())
            .all(\.$name)
        return try read(record.source, files: Set(files))
    }

    /// The scenario `source` describes, or a 422 naming each problem's field, line and column.
    static func read(_ source: String, files: Set<String>) throws -> DrillScenario {
        switch ScenarioReader.read(source, attachmentExists: { files.contains($0) }) {
        case .success(let scenario):
            return scenario
        case .failure(let failure):
            throw ConcordError.invalid(
                failure.problems.map {
                    ConcordError.FieldError(
                        field: $0.field.isEmpty ? "source" : $0.field,
                        detail: "line \($0.line), column \($0.column): \($0.message)")
                })
        }
    }
}
