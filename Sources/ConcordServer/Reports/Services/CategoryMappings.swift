import ConcordCore
import Fluent
import Foundation
import SQLKit

/// A team's own incident categories mapped to RSIT taxonomies, edited by the team and read
/// wherever its declared counts are compared or reported.
enum CategoryMappings {
    /// The team's mapping (empty when it counts by RSIT directly).
    static func mapping(of team: UUID, on db: any Database) async throws -> CategoryMapping {
        let rows = try await TeamCategoryMapping.query(on: db).filter(\.$teamID == team).all()
        return
            (try? CategoryMapping(Dictionary(rows.map { ($0.category, $0.taxonomy) }, uniquingKeysWith: { a, _ in a })))
            ?? CategoryMapping()
    }

    /// Reads `own = taxonomy` lines (blank lines and `#` comments skipped), naming each bad line.
    static func parse(lines text: String) throws -> [String: String] {
        var pairs: [String: String] = [:]
        var problems: [ConcordError.FieldError] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                problems.append(.init(field: "line \(index + 1)", detail: "write own category = RSIT taxonomy"))
                continue
            }
            if pairs[parts[0]] != nil {
                problems.append(.init(field: "line \(index + 1)", detail: "'\(parts[0])' is mapped twice"))
            }
            pairs[parts[0]] = parts[1]
        }
        guard problems.isEmpty else { throw ConcordError.invalid(problems) }
        return pairs
    }

    /// Replaces the team's mapping whole. On PostgreSQL the team's row is locked first, so two
    /// replacements at once run one after the other (SQLite's write lock does that already).
    static func replace(_ pairs: [String: String], team slug: String, caller: Caller) async throws -> CategoryMapping {
        let team = try await DirectoryQueries.team(slug: slug, on: caller.db)
        let teamID = try team.requireID()
        try caller.policy.require(.editSubmission(team: teamID))
        var problems: [ConcordError.FieldError] = []
        for own in pairs.keys.sorted() {
            if CategoryMapping.reportingCategories.contains(own) {
                problems.append(.init(field: own, detail: "is an RSIT taxonomy already: it needs no mapping"))
            } else if own.count > 100 || own.contains(",") {
                problems.append(.init(field: own, detail: "a category name has at most 100 characters and no comma"))
            }
        }
        let mapping: CategoryMapping
        do {
            mapping = try CategoryMapping(pairs)
        } catch {
            problems.append(
                .init(field: error.category, detail: "maps to '\(error.target)', which is no RSIT taxonomy"))
            throw ConcordError.invalid(problems)
        }
        guard problems.isEmpty else { throw ConcordError.invalid(problems) }
        try await caller.db.writeTransaction { db in
            if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT id FROM teams WHERE id = \(bind: teamID) FOR UPDATE").run()
            }
            try await TeamCategoryMapping.query(on: db).filter(\.$teamID == teamID).delete()
            for (own, taxonomy) in mapping.targets.sorted(by: { $0.key < $1.key }) {
                let row = TeamCategoryMapping()
                row.teamID = teamID
                row.category = own
                row.taxonomy = taxonomy
                try await row.create(on: db)
            }
            try await AuditLog.record(
                "report.categories", targetType: "team", targetID: team.slug,
                summary: "\(team.shortName) maps \(mapping.targets.count) own categories to RSIT", caller: caller,
                on: db)
        }
        return mapping
    }
}
