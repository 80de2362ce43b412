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
        let lastActivityOf = try await Self.lastActivity(of: visible, userID: principal.userID, on: caller.db)
        var items: [InboxItemDTO] = []
        for incident in visible {
            let mine = incident.assignments.first { $0.teamID == principal.teamID }
            guard let reason = Self.reason(incident, principal: principal) else { continue }
            let (lastActivity, unread) = lastActivityOf[incident.id] ?? (incident.reportedAt, true)
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

    /// Why the incident is in the principal's inbox, or nil when it is not (a forum-wide reader
    /// sees it on the inbox page all the same, as the forum's).
    static func reason(_ incident: IncidentListRow, principal: Principal) -> Reason? {
        let forumWide = principal.role.isForumWide
        if incident.assignments.contains(where: { $0.teamID == principal.teamID }) { return .assigned }
        if incident.reporterTeamID == principal.teamID { return .reported }
        if forumWide && incident.assignments.isEmpty { return .triage }
        if forumWide && incident.assignments.contains(where: { $0.escalations >= 2 && $0.state == .notified }) {
            return .escalated
        }
        if incident.recipientUserIDs.contains(principal.userID) { return .named }
        return nil
    }

    /// Each incident's last activity (its newest timeline line, else its report) and whether the
    /// user has not read it since.
    static func lastActivity(of incidents: [IncidentListRow], userID: UUID, on db: any Database) async throws
        -> [UUID: (at: Date, unread: Bool)]
    {
        let ids = incidents.map(\.id)
        guard !ids.isEmpty else { return [:] }
        let newest = try await IncidentListRows.lastActivity(of: ids, on: db)
        let reads = try await IncidentRead.query(on: db).filter(\.$user.$id == userID).filter(\.$incident.$id ~~ ids)
            .all()
        let readAt = Dictionary(reads.map { ($0.$incident.id, $0.readAt) }, uniquingKeysWith: max)
        var result: [UUID: (at: Date, unread: Bool)] = [:]
        for incident in incidents {
            let at = newest[incident.id] ?? incident.reportedAt
            result[incident.id] = (at, (readAt[incident.id] ?? .distantPast) < at)
        }
        return result
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
