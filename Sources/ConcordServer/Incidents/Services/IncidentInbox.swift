import ConcordCore
import Fluent
import Vapor

/// A team's inbox: the incidents assigned to it or reported by it (for the secretariat also the
/// triage queue and what was escalated to it), newest activity first, each unread until the user
/// opens it after its last timeline line.
enum IncidentInbox {
    /// Why an incident is in the viewer's inbox.
    enum Reason: String, Codable, Sendable {
        case assigned, reported, triage, escalated, named
    }

    static func items(caller: Caller, limit: Int = 200) async throws -> InboxDTO {
        guard let principal = caller.principal else { throw ConcordError.unauthenticated }
        let visible = try await IncidentQueries.visibleList(limit: 1000, policy: caller.policy, on: caller.db)
            .incidents
        let ids = visible.map(\.id)
        let lastActivityOf = try await IncidentListRows.lastActivity(of: ids, on: caller.db)
        let reads =
            ids.isEmpty
            ? []
            : try await IncidentRead.query(on: caller.db).filter(\.$user.$id == principal.userID)
                .filter(\.$incident.$id ~~ ids).all()
        let readAt = Dictionary(reads.map { ($0.$incident.id, $0.readAt) }, uniquingKeysWith: max)
        var items: [InboxItemDTO] = []
        for incident in visible {
            let mine = incident.assignments.first { $0.teamID == principal.teamID }
            let reason: Reason
            if mine != nil {
                reason = .assigned
            } else if incident.reporterTeamID == principal.teamID {
                reason = .reported
            } else if principal.role.isForumWide && incident.assignments.isEmpty {
                reason = .triage
            } else if principal.role.isForumWide
                && incident.assignments.contains(where: {
                    $0.escalations >= 2 && $0.state == .notified
                })
            {
                reason = .escalated
            } else if incident.recipientUserIDs.contains(principal.userID) {
                reason = .named
            } else {
                continue
            }
            let lastActivity = lastActivityOf[incident.id] ?? incident.reportedAt
            let unread = (readAt[incident.id] ?? .distantPast) < lastActivity
            items.append(
                InboxItemDTO(
                    number: incident.number, title: incident.title, tlp: incident.tlp,
                    severity: incident.severity, state: incident.state,
                    reason: reason.rawValue, teamState: mine?.state, deadline: mine?.deadline,
                    escalations: mine?.escalations ?? 0, unread: unread, lastActivity: lastActivity))
        }
        items.sort { $0.lastActivity > $1.lastActivity }
        let shown = Array(items.prefix(limit))
        return InboxDTO(unread: items.filter(\.unread).count, items: shown)
    }

    /// Records that the viewer has read the incident as it is now.
    static func markRead(_ incident: Incident, caller: Caller) async throws {
        guard let principal = caller.principal else { return }
        let incidentID = try incident.requireID()
        let now = caller.clock.now()
        if let read = try await IncidentRead.query(on: caller.db).filter(\.$incident.$id == incidentID)
            .filter(\.$user.$id == principal.userID).first()
        {
            read.readAt = now
            try await read.save(on: caller.db)
        } else {
            let read = IncidentRead()
            read.$incident.id = incidentID
            read.$user.id = principal.userID
            read.readAt = now
            try? await read.create(on: caller.db)  // a parallel first read of the same user wins; both mean "read"
        }
    }
}
