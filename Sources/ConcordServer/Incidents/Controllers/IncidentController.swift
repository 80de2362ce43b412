import ConcordCore
import Fluent
import Vapor

/// `/api/v1/incidents`: report (with a routing preview), list, show, work an assignment, close,
/// comment, attach files, re-route; and `/api/v1/inbox`.
struct IncidentController: RouteCollection {
    /// The largest attachment the upload route collects.
    let attachmentLimit: Int

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.inbox), use: inbox)
        let incidents = routes.grouped(.constant(Paths.incidents))
        incidents.get(use: list)
        incidents.grouped(IdempotencyMiddleware()).post(use: report)
        incidents.post(.constant(Paths.preview), use: preview)
        incidents.get(":incident", use: show)
        incidents.post(":incident", .constant(Paths.assignments), ":team", use: assignmentEvent)
        incidents.post(":incident", .constant(Paths.close), use: close)
        incidents.post(":incident", .constant(Paths.duplicateOf), use: duplicate)
        incidents.post(":incident", .constant(Paths.comments), use: comment)
        incidents.post(":incident", .constant(Paths.routing), use: reroute)
        incidents.post(":incident", .constant(Paths.share), use: share)
        incidents.on(
            .POST, ":incident", .constant(Paths.attachments),
            body: .collect(maxSize: ByteCount(value: attachmentLimit + 1)),
            use: attach)
        incidents.get(":incident", .constant(Paths.attachments), ":attachment", use: download)
    }

    @Sendable func inbox(req: Request) async throws -> InboxDTO {
        try req.policy.require(.readDirectory)
        return try await IncidentInbox.items(caller: req.caller)
    }

    @Sendable func comment(req: Request) async throws -> Response {
        let incident = try await IncidentQueries.visible(req.parameters.get("incident") ?? "", caller: req.caller)
        try await IncidentContributions.comment(
            try req.content.decode(CommentInput.self).text, on: incident, caller: req.caller)
        return try await IncidentQueries.detail(try await IncidentQueries.visible(incident.number, caller: req.caller))
            .encodeResponse(status: .created, for: req)
    }

    @Sendable func reroute(req: Request) async throws -> IncidentDTO {
        let incident = try await IncidentQueries.visible(req.parameters.get("incident") ?? "", caller: req.caller)
        try await IncidentContributions.reroute(
            incident, Self.rerouting(try req.content.decode(RerouteInput.self)), caller: req.caller)
        return IncidentQueries.detail(try await IncidentQueries.visible(incident.number, caller: req.caller))
    }

    private static func rerouting(_ input: RerouteInput) -> IncidentContributions.Rerouting {
        .init(add: input.addTeams ?? [], remove: input.removeTeams ?? [], note: input.note ?? "")
    }

    /// Shares the incident as a STIX report with its observables, under its TLP label.
    @Sendable func share(req: Request) async throws -> Response {
        let incident = try await IncidentQueries.visible(req.parameters.get("incident") ?? "", caller: req.caller)
        return try await IncidentSharing.share(incident, caller: req.caller, now: req.application.clock.now())
            .encodeResponse(
                status: .created, for: req)
    }

    /// The body is the file; `?filename=` names it and `Content-Type` says what it is.
    @Sendable func attach(req: Request) async throws -> Response {
        let incident = try await IncidentQueries.visible(req.parameters.get("incident") ?? "", caller: req.caller)
        let attachment = try await IncidentContributions.attach(
            .init(
                data: req.body.data ?? ByteBuffer(), filename: req.query[String.self, at: "filename"] ?? "",
                contentType: req.headers.contentType?.serialize()), to: incident, caller: req.caller)
        return try await AttachmentDTO(
            id: attachment.requireID(), filename: attachment.filename, contentType: attachment.contentType,
            size: attachment.size, sha256: attachment.sha256, uploadedBy: attachment.uploadedBy,
            uploadedAt: attachment.uploadedAt
        ).encodeResponse(status: .created, for: req)
    }

    /// Always as a download (`application/octet-stream`, `attachment`), never rendered inline.
    @Sendable func download(req: Request) async throws -> Response {
        try await IncidentDownloads.response(request: req)
    }

    /// A page of the incidents the caller may see, newest first; a `Link: <…>; rel="next"` header
    /// names the next page (keyset, by a signed `cursor`) while there is one.
    @Sendable func list(req: Request) async throws -> Response {
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 1000)
        var filter = IncidentListFilter()
        var validator = FieldValidator()
        var after: IncidentCursor?
        if let text = req.query[String.self, at: "cursor"] {
            after = req.application.serverSecret.cursorPayload(text).flatMap(IncidentCursor.init(payload:))
            validator.check(after != nil, "cursor", "is not a cursor this forum gave out")
        }
        if let text = req.query[String.self, at: "tlp"] {
            filter.tlp = TLPLabel(text: text)
            validator.check(filter.tlp != nil, "tlp", "must be a TLP 2.0 label")
        }
        if let text = req.query[String.self, at: "state"] {
            filter.state = IncidentState(rawValue: text)
            validator.check(filter.state != nil, "state", "must be triage, open, resolved or closed")
        }
        if let text = req.query[String.self, at: "since"] {
            filter.since = ISO8601Parsing.date(text)
            validator.check(filter.since != nil, "since", "must be an ISO 8601 time")
        }
        if let text = req.query[String.self, at: "classification"] {
            validator.check(
                RSITClassification.names(text), "classification", "must be an RSIT taxonomy or taxonomy/type")
            filter.classification = text
        }
        if let text = req.query[String.self, at: "q"] {
            validator.check(text.count <= 200, "q", "must be at most 200 characters")
            filter.search = text
        }
        if let text = req.query[String.self, at: "overdue"] {
            validator.check(["true", "false", "1", "0"].contains(text), "overdue", "must be true or false")
            if text == "true" || text == "1" { filter.overdueAt = req.application.clock.now() }
        }
        for (name, slug) in [
            ("team", req.query[String.self, at: "team"]), ("reporter", req.query[String.self, at: "reporter"]),
        ] {
            guard let slug else { continue }
            let id = try await Team.query(on: req.db).filter(\.$slug == slug).first()?.id
            validator.check(id != nil, name, "unknown team '\(slug)'")
            if name == "team" { filter.assignedTeam = id } else { filter.reporterTeam = id }
        }
        try validator.throwIfFailed()
        let page = try await IncidentQueries.visibleList(
            limit: limit, filter: filter, after: after, policy: req.policy, on: req.db)
        let response = try await page.incidents.map(\.summary).encodeResponse(for: req)
        if let next = page.next {
            var components = URLComponents()
            components.path = req.url.path
            components.queryItems =
                (URLComponents(string: req.url.string)?.queryItems ?? []).filter { $0.name != "cursor" }
                + [URLQueryItem(name: "cursor", value: req.application.serverSecret.signedCursor(next.payload))]
            response.headers.replaceOrAdd(name: "Link", value: "<\(components.string ?? "")>; rel=\"next\"")
        }
        return response
    }

    /// The teams the observables would go to, and why, before anything is stored.
    @Sendable func preview(req: Request) async throws -> [RoutedTeamDTO] {
        return try await IncidentPreview.teams(for: try req.content.decode(IncidentInput.self), caller: req.caller)
    }

    @Sendable func report(req: Request) async throws -> Response {
        let incident = try await IncidentService.report(try req.content.decode(IncidentInput.self), caller: req.caller)
        let stored = try await IncidentQueries.visible(incident.number, caller: req.caller)
        return try await IncidentQueries.detail(stored).encodeResponse(status: .created, for: req)
    }

    @Sendable func show(req: Request) async throws -> IncidentDTO {
        let incident = try await IncidentQueries.visible(req.parameters.get("incident") ?? "", caller: req.caller)
        try await IncidentInbox.markRead(incident, caller: req.caller)
        return IncidentQueries.detail(incident)
    }

    @Sendable func assignmentEvent(req: Request) async throws -> IncidentDTO {
        let incident = try await IncidentQueries.visible(req.parameters.get("incident") ?? "", caller: req.caller)
        let slug = req.parameters.get("team") ?? ""
        guard let team = incident.assignments.first(where: { $0.team.slug == slug })?.team else {
            throw ConcordError.notFound("assignment of '\(slug)'")
        }
        try await IncidentService.apply(
            try req.content.decode(AssignmentEventInput.self).procedureEvent(), to: incident, team: team,
            caller: req.caller)
        return IncidentQueries.detail(try await IncidentQueries.visible(incident.number, caller: req.caller))
    }

    /// `POST …/duplicate-of` `{"incident": "INC-…"}`: merges this incident into that one.
    @Sendable func duplicate(req: Request) async throws -> IncidentDTO {
        let incident = try await IncidentQueries.visible(req.parameters.get("incident") ?? "", caller: req.caller)
        try req.policy.require(.closeIncident(reporterTeam: incident.$reporterTeam.id))
        let target = try req.content.decode([String: String].self)["incident"]
        _ = try await IncidentDuplicates.merge(incident, into: target, caller: req.caller)
        return IncidentQueries.detail(try await IncidentQueries.visible(incident.number, caller: req.caller))
    }

    @Sendable func close(req: Request) async throws -> IncidentDTO {
        let incident = try await IncidentQueries.visible(req.parameters.get("incident") ?? "", caller: req.caller)
        try await IncidentService.close(incident, caller: req.caller)
        return IncidentQueries.detail(try await IncidentQueries.visible(incident.number, caller: req.caller))
    }
}
