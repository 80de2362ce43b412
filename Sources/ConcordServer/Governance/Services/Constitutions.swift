import ConcordCore
import Fluent
import Foundation

/// The constitution's versions: the founding rules, adopted once by the secretariat, and every
/// later version (adopted by a resolution); the version in force on a day.
enum Constitutions {
    /// A stored version and its rules.
    struct Adopted: Sendable {
        let row: ConstitutionVersion
        let rules: Constitution
    }

    /// Every version, oldest first.
    static func versions(on db: any Database) async throws -> [Adopted] {
        try await ConstitutionVersion.query(on: db).sort(\.$version).all().compactMap { row in
            row.constitution.map { Adopted(row: row, rules: $0) }
        }
    }

    /// The version in force on `day`; nil before the first (or when none is adopted).
    static func inForce(on day: CivilDate, db: any Database) async throws -> Adopted? {
        try await versions(on: db).last { CivilDate($0.row.effectiveOn).map { $0 <= day } ?? false }
    }

    /// The version in force on `day`, or 404 naming why there is none.
    static func requireInForce(on day: CivilDate, db: any Database) async throws -> Adopted {
        guard let adopted = try await inForce(on: day, db: db) else {
            let any = try await ConstitutionVersion.query(on: db).count() > 0
            throw ConcordError(
                .notFound,
                any
                    ? "no constitution was in force on \(day): the first took effect later"
                    : "the forum has adopted no constitution yet (the secretariat adopts the founding rules: "
                        + "POST /api/v1/governance/constitution or `concord governance adopt`)")
        }
        return adopted
    }

    /// The rules as stored: JSON with sorted keys, so the same rules are the same text.
    static func storedText(_ rules: Constitution) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(rules), as: UTF8.self)
    }

    /// Adopts the founding rules: version 1, once. A second adoption is refused (409): later
    /// changes are resolutions of the members. Rules that cannot be applied are refused whole,
    /// every problem named by its path (422).
    static func adoptFounding(_ rules: Constitution, caller: Caller) async throws -> Adopted {
        try caller.policy.require(.manageGovernance)
        let problems = rules.problems
        guard problems.isEmpty else {
            throw ConcordError.invalid(
                problems.map { problem in
                    let parts = problem.split(separator: ":", maxSplits: 1)
                    return ConcordError.FieldError(
                        field: "rules." + String(parts[0]),
                        detail: parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : problem)
                })
        }
        let row = ConstitutionVersion()
        row.id = UUID()
        row.version = 1
        row.effectiveOn = rules.effectiveOn
        row.rules = try storedText(rules)
        row.adoptedBy = "founding"
        row.adoptedAt = caller.clock.now()
        row.recordedBy = caller.actor.name
        do {
            try await caller.db.writeTransaction { db in
                try await row.create(on: db)
                try await AuditLog.record(
                    "governance.constitution.adopt", targetType: "constitution", targetID: "1",
                    summary: "adopted the founding constitution, in force from \(rules.effectiveOn)", caller: caller,
                    on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ConcordError(
                .conflict,
                "the founding constitution is adopted already; the rules change only by a resolution of the members")
        }
        return Adopted(row: row, rules: rules)
    }
}
