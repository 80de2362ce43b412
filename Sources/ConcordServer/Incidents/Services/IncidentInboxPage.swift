import ConcordCore
import Fluent
import Foundation
import Vapor

/// The inbox page: the incidents of the viewer's team (for the secretariat, every incident the
/// policy lets it read), narrowed by state, TLP, classification, team, "overdue" and a search,
/// sorted by date or deadline, fifty to a page cut by the database.
enum IncidentInboxPage {
    static let pageSize = 50

    /// The page's address parameters as typed; each is checked and a wrong one named.
    struct Query: Content {
        var state: String?
        var tlp: String?
        var classification: String?
        var team: String?
        var overdue: String?
        var sort: String?
        var q: String?
        var page: String?
    }

    static func page(_ query: Query, caller: Caller) async throws -> InboxPageDTO {
        let principal = try caller.requirePrincipal()
        let now = caller.clock.now()
        let forumWide = principal.role.isForumWide
        var filter = IncidentListFilter()
        var errors: [String] = []
        func given(_ text: String?) -> String? {
            text.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        if let text = given(query.state) {
            filter.state = IncidentState(rawValue: text)
            if filter.state == nil { errors.append("State '\(text)' is none of triage, open, resolved, closed.") }
        }
        if let text = given(query.tlp) {
            filter.tlp = TLPLabel(text: text)
            if filter.tlp == nil { errors.append("TLP '\(text)' is not a TLP 2.0 label.") }
        }
        if let text = given(query.classification) {
            let known = RSITClassification.names(text)
            if known { filter.classification = text } else { errors.append("'\(text)' is no RSIT classification.") }
        }
        if let slug = given(query.team) {
            filter.assignedTeam = try await Team.query(on: caller.db).filter(\.$slug == slug).first()?.id
            if filter.assignedTeam == nil { errors.append("No team is called '\(slug)'.") }
        }
        if query.overdue == "1" || query.overdue == "on" { filter.overdueAt = now }
        if let text = given(query.q) {
            if text.count > 200 {
                errors.append("The search is longer than 200 characters.")
            } else {
                filter.search = text
            }
        }
        let sort = given(query.sort) ?? "date"
        if !["date", "deadline"].contains(sort) { errors.append("Sort by 'date' or 'deadline', not '\(sort)'.") }
        let number = given(query.page).map { Int($0) ?? 0 } ?? 1
        if !(1...100_000).contains(number) { errors.append("Page '\(query.page ?? "")' is not a page number.") }
        if !forumWide { filter.involving = .init(team: principal.teamID, user: principal.userID) }

        let shown = InboxPageDTO.Shown(
            state: given(query.state) ?? "", tlp: given(query.tlp) ?? "",
            classification: given(query.classification) ?? "", team: given(query.team) ?? "",
            overdue: filter.overdueAt != nil, sort: sort, q: given(query.q) ?? "")
        guard errors.isEmpty else {
            return InboxPageDTO(items: [], page: 1, more: false, shown: shown, errors: errors, forumWide: forumWide)
        }
        let order: IncidentListOrder =
            sort == "deadline" ? .deadline(team: forumWide ? nil : principal.teamID) : .newest
        let rows = try await IncidentQueries.page(
            filter: filter, order: order, offset: (number - 1) * pageSize, limit: pageSize, policy: caller.policy,
            on: caller.db)
        return InboxPageDTO(
            items: try await Self.items(rows.incidents, principal: principal, now: now, db: caller.db), page: number,
            more: rows.more, shown: shown, errors: [], forumWide: forumWide)
    }

    static func items(_ rows: [IncidentListRow], principal: Principal, now: Date, db: any Database) async throws
        -> [InboxRowDTO]
    {
        let activity = try await IncidentInbox.lastActivity(of: rows, userID: principal.userID, on: db)
        return rows.map { row in
            let mine = row.assignments.first { $0.teamID == principal.teamID }
            return InboxRowDTO(
                number: row.number, title: row.title, tlp: row.tlp, classification: "\(row.taxonomy)/\(row.type)",
                severity: row.severity, state: row.state,
                reason: IncidentInbox.reason(row, principal: principal)?.rawValue ?? "forum",
                reporterTeam: row.reporterTeamSlug, reportedAt: row.reportedAt, teamState: mine?.state,
                deadline: mine?.deadline,
                timeLeft: mine.flatMap { $0.state == .notified ? $0.deadline : nil }.map {
                    DeadlineText.timeLeft(until: $0, now: now)
                },
                urgency: mine?.state == .notified ? DeskUrgency(deadline: mine?.deadline, now: now) : .none,
                escalations: mine?.escalations ?? 0, progress: Self.progress(row.assignments.map(\.state)),
                unread: activity[row.id]?.unread ?? true)
        }
    }

    /// "2 teams · 1 acknowledged · 1 not acknowledged", or "no team yet".
    static func progress(_ states: [AssignmentState]) -> String {
        guard !states.isEmpty else { return "no team yet" }
        let words: [(AssignmentState, String)] = [
            (.notified, "not acknowledged"), (.acknowledged, "acknowledged"), (.inProgress, "in progress"),
            (.resolved, "resolved"), (.declined, "declined"),
        ]
        let counts = words.compactMap { state, word -> String? in
            let count = states.filter { $0 == state }.count
            return count == 0 ? nil : "\(count) \(word)"
        }
        return (["\(states.count) team\(states.count == 1 ? "" : "s")"] + counts).joined(separator: " · ")
    }
}
