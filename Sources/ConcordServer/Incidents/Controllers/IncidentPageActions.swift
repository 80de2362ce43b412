import ConcordCore
import Fluent
import Vapor

/// The incident page and what is done on it: one primary action for each team the viewer may work
/// for (Acknowledge, then Start work, Resolve), Decline with its reason apart, Close behind a
/// confirmation, each team's 24/7 contacts beside its deadline, a message after every action, and
/// a refused action (a file not accepted, an empty comment) shown in place, with what was typed.
extension IncidentWebController {
    struct IncidentPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let incident: IncidentDTO
        let assignments: [AssignmentView]
        let canComment: Bool
        let canClose: Bool
        let canReroute: Bool
        let teams: [TeamChoice]
        /// What the last action did ("Acknowledged for SingCERT. NUSCERT has not acknowledged yet.").
        let flash: String?
        let problems: Problems
        /// The comment as typed, when it was refused.
        let commentText: String
    }

    /// A refused action's message, by the part of the page it belongs to.
    struct Problems: Encodable {
        var assignments: String? = nil
        var attachments: String? = nil
        var comment: String? = nil
        var routing: String? = nil
    }

    /// A button: the event it posts and its label.
    struct Action: Encodable {
        let event: String
        let label: String
    }

    /// One team's row on the incident page, with what the viewer may do to it.
    struct AssignmentView: Encodable {
        let assignment: AssignmentDTO
        let timeLeft: String?
        let overdue: Bool
        /// The next step (Acknowledge, Start work, Resolve, Reopen), others beside it, and Decline.
        let primary: Action?
        let secondary: [Action]
        let mayDecline: Bool
        /// The team's published 24/7 contacts, as the directory's lookup shows them.
        let contacts: [LookupCard.Contact]
    }

    static let flashKey = "flash"

    /// The buttons for a state: the first step is the primary one; decline goes apart.
    static func actions(for state: AssignmentState) -> (primary: Action?, secondary: [Action], decline: Bool) {
        let labels = [
            "acknowledge": "Acknowledge", "start": "Start work", "resolve": "Resolve", "reopen": "Reopen",
        ]
        let events = Self.events(for: state)
        let steps = events.filter { $0 != "decline" }.map { Action(event: $0, label: labels[$0] ?? $0) }
        return (steps.first, Array(steps.dropFirst()), events.contains("decline"))
    }

    @Sendable func show(req: Request) async throws -> Response {
        let incident = try await IncidentQueries.visible(req.parameters.get("incident") ?? "", caller: req.caller)
        try await IncidentInbox.markRead(incident, caller: req.caller)
        let flash = req.session.data[Self.flashKey]
        if flash != nil { req.session.data[Self.flashKey] = nil }
        return try await render(req, incident, flash: flash)
    }

    func render(
        _ req: Request, _ incident: Incident, flash: String? = nil, problems: Problems = .init(),
        commentText: String = "", status: HTTPStatus = .ok
    ) async throws -> Response {
        let dto = IncidentQueries.detail(incident)
        let now = req.application.clock.now()
        let snapshot = try await req.application.routingDirectory.current(on: req.db)
        let contacts = try await LookupCard.contacts(
            of: incident.assignments.map(\.$team.id), snapshot: snapshot, now: now, on: req.db)
        let assignments = incident.assignments.sorted { $0.team.shortName < $1.team.shortName }.compactMap {
            assignment -> AssignmentView? in
            guard let row = dto.assignments.first(where: { $0.team == assignment.team.slug }) else { return nil }
            let mayWork = req.policy.allows(.workAssignment(team: assignment.$team.id)) && incident.closedAt == nil
            let actions = mayWork ? Self.actions(for: assignment.state) : (nil, [], false)
            return AssignmentView(
                assignment: row,
                timeLeft: assignment.state == .notified && incident.closedAt == nil
                    ? assignment.deadline.map { DeadlineText.timeLeft(until: $0, now: now) } : nil,
                overdue: assignment.state == .notified && incident.closedAt == nil
                    && (assignment.deadline ?? .distantFuture) < now,
                primary: actions.0, secondary: actions.1, mayDecline: actions.2,
                contacts: contacts[assignment.$team.id] ?? [])
        }
        let parties = IncidentQueries.parties(of: incident)
        let canReroute = req.policy.allows(.rerouteIncident) && incident.closedAt == nil
        let teams =
            canReroute
            ? try await Team.query(on: req.db).sort(\.$shortName).all().map {
                TeamChoice(slug: $0.slug, name: $0.shortName)
            }
            : []
        let page = IncidentPage(
            viewer: try await req.webViewer(), csrf: req.csrfToken, incident: dto, assignments: assignments,
            canComment: req.policy.allows(.contributeToIncident(parties)),
            canClose: req.policy.allows(.closeIncident(reporterTeam: incident.$reporterTeam.id))
                && incident.closedAt == nil,
            canReroute: canReroute, teams: teams, flash: flash, problems: problems, commentText: commentText)
        return try await req.view.render("incident", page).encodeResponse(status: status, for: req)
    }

    /// Runs an action; on success the page again with `message`, on a refusal the page with the
    /// refusal where `place` puts it.
    private func act(
        _ req: Request, fragment: String? = nil, commentText: String = "",
        place: (inout Problems, String) -> Void, action: (Incident) async throws -> String
    ) async throws -> Response {
        let incident = try await IncidentQueries.visible(req.parameters.get("incident") ?? "", caller: req.caller)
        do {
            req.session.data[Self.flashKey] = try await action(incident)
            return req.redirect(to: Paths.incidentPage(incident.number, at: fragment), redirectType: .normal)
        } catch let error as ConcordError
            where [.validation, .malformedRequest, .conflict, .tooLarge].contains(error.code)
        {
            var problems = Problems()
            let detail = error.fields.isEmpty ? error.detail : error.fields.map(\.detail).joined(separator: "; ")
            place(&problems, detail)
            let fresh = try await IncidentQueries.visible(incident.number, caller: req.caller)
            return try await render(req, fresh, problems: problems, commentText: commentText, status: error.status)
        }
    }

    @Sendable func event(req: Request) async throws -> Response {
        let slug = req.parameters.get("team") ?? ""
        return try await act(
            req, place: { $0.assignments = $1 },
            action: { incident in
                guard let team = incident.assignments.first(where: { $0.team.slug == slug })?.team else {
                    throw ConcordError.notFound("assignment of '\(slug)'")
                }
                try req.policy.require(.workAssignment(team: try team.requireID()))
                let form = try req.content.decode(EventForm.self)
                try await IncidentService.apply(
                    try AssignmentEventInput(event: form.event, reason: form.reason).procedureEvent(), to: incident,
                    team: team, caller: req.caller)
                let after = try await IncidentQueries.visible(incident.number, caller: req.caller)
                return Self.message(after: form.event, by: team.shortName, in: after)
            })
    }

    @Sendable func comment(req: Request) async throws -> Response {
        let text = (try? req.content.decode(CommentForm.self).text) ?? ""
        return try await act(
            req, fragment: "timeline", commentText: text, place: { $0.comment = $1 },
            action: { incident in
                try await IncidentContributions.comment(text, on: incident, caller: req.caller)
                return "Comment added."
            })
    }

    @Sendable func close(req: Request) async throws -> Response {
        try await act(
            req, place: { $0.assignments = $1 },
            action: { incident in
                try await IncidentService.close(incident, caller: req.caller)
                return "Incident closed. The teams see it closed; nothing more is escalated."
            })
    }

    @Sendable func duplicate(req: Request) async throws -> Response {
        let target = try req.content.decode([String: String].self)["incident"]
        return try await act(
            req, place: { $0.assignments = $1 },
            action: { incident in
                let into = try await IncidentDuplicates.merge(incident, into: target, caller: req.caller)
                return "Merged into \(into.number) as a duplicate: closed, and counted as a report, not an incident."
            })
    }

    @Sendable func reroute(req: Request) async throws -> Response {
        let form = try req.content.decode(RerouteForm.self)
        return try await act(
            req, place: { $0.routing = $1 },
            action: { incident in
                let rerouting = IncidentContributions.Rerouting(
                    add: [form.addTeam ?? ""].filter { !$0.isEmpty },
                    remove: [form.removeTeam ?? ""].filter { !$0.isEmpty },
                    note: form.note ?? "")
                try await IncidentContributions.reroute(incident, rerouting, caller: req.caller)
                return "Routing changed."
            })
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let file = try? req.content.decode(UploadForm.self).file
        return try await act(
            req, fragment: "attachments", place: { $0.attachments = $1 },
            action: { incident in
                try req.policy.require(.contributeToIncident(IncidentQueries.parties(of: incident)))
                guard let file else { throw ConcordError(.validation, "Choose a file to attach.") }
                let upload = IncidentContributions.Upload(
                    data: file.data, filename: file.filename, contentType: file.contentType?.serialize())
                _ = try await IncidentContributions.attach(upload, to: incident, caller: req.caller)
                return "\(file.filename) attached (\(file.data.readableBytes) bytes)."
            })
    }

    /// What an event did and where the other teams stand: "Acknowledged for SingCERT. NUSCERT has
    /// not acknowledged yet."
    static func message(after event: String, by team: String, in incident: Incident) -> String {
        let done =
            [
                "acknowledge": "Acknowledged", "start": "Work started", "resolve": "Resolved", "decline": "Declined",
                "reopen": "Reopened",
            ][event] ?? "Done"
        let others = incident.assignments.filter { $0.team.shortName != team }
        let waiting = others.filter { $0.state == .notified }.map(\.team.shortName).sorted()
        let working = others.filter { !$0.state.isFinished }.count
        let rest: String
        if others.isEmpty {
            rest = ""
        } else if !waiting.isEmpty {
            rest = " \(waiting.joined(separator: ", ")) \(waiting.count == 1 ? "has" : "have") not acknowledged yet."
        } else if working > 0 {
            rest = " Every team has acknowledged; \(working) still at work."
        } else {
            rest = " Every team has finished."
        }
        return "\(done) for \(team).\(rest)"
    }
}
