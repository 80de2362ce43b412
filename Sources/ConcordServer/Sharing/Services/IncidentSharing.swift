import ConcordCore
import Fluent
import Vapor

/// Shares an incident as STIX in one action, under the incident's own TLP label: CLEAR and GREEN
/// into the forum-wide collection; AMBER and AMBER+STRICT into the reporting team's collection and
/// the collection of every team assigned to it (those are the teams it was shared with). RED
/// incidents stay in Concord, where only their named people read them.
enum IncidentSharing {
    /// What the sharing did.
    struct Outcome: Content {
        let report: String
        let label: String
        let collections: [String]
        let objects: Int
    }

    static func share(_ incident: Incident, caller: Caller, now: Date) async throws -> Outcome {
        try caller.policy.require(.shareIncident(reporterTeam: incident.$reporterTeam.id))
        guard let principal = caller.principal else { throw ConcordError.unauthenticated }
        let label = incident.tlp
        guard label != .red else {
            throw ConcordError(
                .conflict,
                "\(incident.number) is TLP:RED: it stays in Concord with its named recipients and is not shared as STIX"
            )
        }
        let document = IncidentSTIXDocument(
            incident: incident, label: label, now: now, publicURL: caller.app.concord.publicURL)
        let objects = try document.objects()
        var targets: [UUID] = [SharingCollections.forumID]
        if label > .green {
            targets = [incident.$reporterTeam.id]
            for assignment in incident.assignments where !targets.contains(assignment.$team.id) {
                targets.append(assignment.$team.id)
            }
        }
        let owner = STIXIngest.Owner(team: incident.$reporterTeam.id, user: principal.userID)
        var collections: [ResolvedCollection] = []
        for id in targets {
            if let collection = try await SharingCollections.find(id, on: caller.db) { collections.append(collection) }
        }
        let report = objects.last?["id"]?.string ?? ""
        let names = label > .green ? "\(targets.count) team collection\(targets.count == 1 ? "" : "s")" : "the forum"
        let chosen = collections
        // One transaction: every collection gets the report, or none does.
        try await caller.db.writeTransaction { db in
            for collection in chosen {
                let outcome = try await STIXIngest.add(
                    objects.map(JSONValue.object), to: collection, by: owner, defaultLabel: nil, on: db, now: now)
                if !outcome.failures.isEmpty {
                    throw ConcordError(
                        .conflict,
                        outcome.failures.map { "\($0.id): \($0.message ?? "refused")" }.joined(separator: "; "))
                }
            }
            try await IncidentTimelineEntry(
                incidentID: try incident.requireID(), at: now, actor: principal.email,
                text: "shared as STIX report \(report) (\(label.rawValue)) with \(names)"
            ).create(on: db)
            try await AuditLog.record(
                "incident.share", targetType: "incident", targetID: incident.number,
                summary: "shared \(incident.number) as STIX (\(label.rawValue))", caller: caller, on: db)
        }
        return Outcome(
            report: report, label: label.rawValue, collections: targets.map { $0.uuidString.lowercased() },
            objects: objects.count)
    }
}
