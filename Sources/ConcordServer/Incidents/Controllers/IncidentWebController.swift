import ConcordCore
import Fluent
import Vapor

/// The incident pages: the team inbox, the report form with its routing preview, and the incident
/// page where teams work their assignments, comment, attach files, and the reporter closes. Every
/// action goes through the same services and policy as the API.
struct IncidentWebController: RouteCollection {
    let attachmentLimit: Int

    /// What the report form posts; `action` is `preview` or `report`.
    struct ReportForm: Content {
        var action: String?
        var title: String?
        var classification: String?
        var severity: String?
        var tlp: String?
        var recipients: String?
        var description: String?
        var observables: String?
        var economy: String?
        /// Teams the preview showed, and those of them the reporter kept ticked.
        var previewed: [String]?
        var keep: [String]?
        var addTeam: String?
    }

    struct EventForm: Content {
        var event: String
        var reason: String?
    }

    struct CommentForm: Content {
        var text: String
    }

    struct RerouteForm: Content {
        var addTeam: String?
        var removeTeam: String?
        var note: String?
    }

    struct UploadForm: Content {
        var file: File
    }

    struct ReportPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let form: ReportFormValues
        let severities: [String]
        let tlps: [String]
        let teams: [TeamChoice]
        let preview: [RoutedTeamDTO]?
        let errors: ReportFormErrors
        let taxonomies: [InboxWebController.ClassificationGroup]
    }

    /// The form's values as they are shown again.
    struct ReportFormValues: Encodable {
        let title: String
        let classification: String
        let severity: String
        let tlp: String
        let recipients: String
        let description: String
        let observables: String
        let economy: String
    }

    struct TeamChoice: Encodable {
        let slug: String
        let name: String
    }

    func boot(routes: any RoutesBuilder) throws {
        let incidents = routes.grouped(.constant(Paths.incidents))
        incidents.get(.constant(Paths.newIncident), use: newForm)
        incidents.post(.constant(Paths.newIncident), use: submit)
        incidents.get(":incident", use: show)
        incidents.post(":incident", .constant(Paths.assignments), ":team", use: event)
        incidents.post(":incident", .constant(Paths.comments), use: comment)
        incidents.post(":incident", .constant(Paths.close), use: close)
        incidents.post(":incident", .constant(Paths.duplicateOf), use: duplicate)
        incidents.post(":incident", .constant(Paths.routing), use: reroute)
        incidents.on(
            .POST, ":incident", .constant(Paths.attachments),
            body: .collect(maxSize: ByteCount(value: attachmentLimit + (1 << 20))),
            use: upload)
        incidents.get(":incident", .constant(Paths.attachments), ":attachment", use: download)
    }

    /// The report form, empty or with the observables (and fallback economy) of `?observables=…&economy=…`
    /// filled in and routed at once, as the directory's "Report an incident for this" opens it.
    @Sendable func newForm(req: Request) async throws -> View {
        try req.policy.require(.reportIncident)
        let observables = String((req.query[String.self, at: "observables"] ?? "").prefix(10_000))
        let economy = String((req.query[String.self, at: "economy"] ?? "").prefix(2))
        let values = ReportFormValues(
            title: "", classification: "", severity: "medium", tlp: "TLP:AMBER", recipients: "", description: "",
            observables: observables, economy: economy)
        let lines = ReportFormErrors.lines(of: observables)
        guard !lines.isEmpty else { return try await renderForm(req, values: values, preview: nil, errors: .none) }
        let input = IncidentInput(
            title: nil, description: nil, classification: nil, severity: nil, tlp: nil, recipients: [], firstSeen: nil,
            observables: lines.map { ObservableInput(kind: nil, value: $0.value) },
            economy: economy.isEmpty ? nil : economy,
            addTeams: [], removeTeams: [])
        do {
            let preview = try await IncidentPreview.teams(for: input, caller: req.caller)
            return try await renderForm(req, values: values, preview: preview, errors: .none)
        } catch let error as ConcordError where error.code == .validation {
            return try await renderForm(
                req, values: values, preview: nil,
                errors: ReportFormErrors(error.fields, observableLines: lines.map(\.number)))
        }
    }

    @Sendable func submit(req: Request) async throws -> Response {
        // The services ask the policy (IncidentService.report, IncidentPreview.teams).
        let form = try req.content.decode(ReportForm.self)
        let values = ReportFormValues(
            title: form.title ?? "", classification: form.classification ?? "", severity: form.severity ?? "medium",
            tlp: form.tlp ?? "TLP:AMBER", recipients: form.recipients ?? "", description: form.description ?? "",
            observables: form.observables ?? "", economy: form.economy ?? "")
        let kept = Set(form.keep ?? [])
        let lines = ReportFormErrors.lines(of: form.observables ?? "")
        let input = IncidentInput(
            title: form.title, description: form.description, classification: form.classification,
            severity: form.severity, tlp: form.tlp,
            recipients: (form.recipients ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(
                String.init),
            firstSeen: nil,
            observables: lines.map { ObservableInput(kind: nil, value: $0.value) },
            economy: (form.economy ?? "").isEmpty ? nil : form.economy,
            addTeams: (form.addTeam ?? "").isEmpty ? [] : [form.addTeam ?? ""],
            removeTeams: (form.previewed ?? []).filter { !kept.contains($0) })
        do {
            if form.action == "report" {
                let incident = try await IncidentService.report(input, caller: req.caller)
                let teams = try await IncidentQueries.visible(incident.number, caller: req.caller).assignments
                    .map(\.team.shortName).sorted()
                req.session.data[Self.flashKey] =
                    teams.isEmpty
                    ? "Reported. No team matched: the secretariat triages it."
                    : "Reported to \(teams.joined(separator: ", ")). Each has until its deadline to acknowledge."
                return req.redirect(to: Paths.incidentPage(incident.number), redirectType: .normal)
            }
            let preview = try await IncidentPreview.teams(for: input, caller: req.caller)
            return try await renderForm(req, values: values, preview: preview, errors: .none)
                .encodeResponse(for: req)
        } catch let error as ConcordError where error.code == .validation {
            return try await renderForm(
                req, values: values, preview: nil,
                errors: ReportFormErrors(error.fields, observableLines: lines.map(\.number))
            )
            .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    @Sendable func download(req: Request) async throws -> Response {
        try await IncidentDownloads.response(request: req)
    }

    private func renderForm(
        _ req: Request, values: ReportFormValues, preview: [RoutedTeamDTO]?, errors: ReportFormErrors
    ) async throws -> View {
        let teams = try await Team.query(on: req.db).sort(\.$shortName).all()
        return try await req.view.render(
            "incident-new",
            ReportPage(
                viewer: try await req.webViewer(), csrf: req.csrfToken, form: values,
                severities: IncidentSeverity.allCases.map(\.rawValue), tlps: TLPLabel.allCases.map(\.rawValue),
                teams: teams.map { TeamChoice(slug: $0.slug, name: $0.shortName) }, preview: preview, errors: errors,
                taxonomies: InboxWebController.ClassificationGroup.all))
    }

    /// The buttons a team may press in its state.
    static func events(for state: AssignmentState) -> [String] {
        switch state {
        case .notified: return ["acknowledge", "decline"]
        case .acknowledged: return ["start", "resolve", "decline"]
        case .inProgress: return ["resolve", "decline"]
        case .resolved: return ["reopen"]
        case .declined: return []
        }
    }
}
