import ConcordCore
import Fluent
import SQLKit

/// Merges an incident into another as its duplicate: it is closed, its timeline says into which,
/// and the statistics count it as a report but not as an incident. The reporter's handlers and
/// administrators and the forum-wide roles may; the other incident must be one the caller can
/// read, and not itself a duplicate (a chain is merged into its root).
enum IncidentDuplicates {
    static func merge(_ incident: Incident, into number: String?, caller: Caller) async throws -> Incident {
        try caller.policy.require(.closeIncident(reporterTeam: incident.$reporterTeam.id))
        guard let number = number?.trimmingCharacters(in: .whitespaces), !number.isEmpty else {
            throw ConcordError.invalid(field: "incident", "name the incident this one duplicates (INC-…)")
        }
        var target = try await IncidentQueries.visible(number, caller: caller)
        if let root = target.duplicateOfID, let found = try await Incident.find(root, on: caller.db) {
            target = found
        }
        let id = try incident.requireID()
        let targetID = try target.requireID()
        guard targetID != id else {
            throw ConcordError.invalid(field: "incident", "\(incident.number) cannot duplicate itself")
        }
        let now = caller.clock.now()
        try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            // Both rows locked in one order (PostgreSQL; SQLite's write lock serialises already), so
            // two people merging A into B and B into A at once cannot make a cycle.
            if sql.dialect.name == "postgresql" {
                try await sql.raw(
                    "SELECT id FROM incidents WHERE id IN (\(bind: id), \(bind: targetID)) ORDER BY id FOR UPDATE"
                ).run()
            }
            guard let current = try await Incident.find(id, on: db),
                let other = try await Incident.find(targetID, on: db)
            else { throw ConcordError.notFound("incident") }
            guard current.duplicateOfID == nil else {
                throw ConcordError(.conflict, "\(incident.number) is already merged into another incident")
            }
            guard other.duplicateOfID == nil else {
                throw ConcordError(.conflict, "\(other.number) was merged into another incident meanwhile")
            }
            current.duplicateOfID = targetID
            if current.closedAt == nil { current.closedAt = now }
            try await current.save(on: db)
            let actor = caller.principal?.email ?? "?"
            try await IncidentTimelineEntry(
                incidentID: id, at: now, actor: actor, text: "merged into \(other.number) as a duplicate"
            ).create(on: db)
            try await IncidentTimelineEntry(
                incidentID: targetID, at: now, actor: actor, text: "\(incident.number) was merged into this one"
            ).create(on: db)
            try await AuditLog.record(
                "incident.duplicate", targetType: "incident", targetID: incident.number,
                summary: "merged \(incident.number) into \(other.number)", caller: caller, on: db)
        }
        return target
    }
}
