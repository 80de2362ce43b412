import ConcordCore
import Fluent
import Vapor

/// The drills' web pages: the list, a drill's page (the live board for exercise control, each
/// team's injects with the forms to answer them), the after-action report, the scenario library
/// with its upload, and the files injects attach. Every page shows times in UTC and in the viewing
/// team's own time zone.
struct DrillWebController: RouteCollection {
    /// A drill in the list.
    struct DrillLine: Encodable {
        let id: String
        let title: String
        let state: String
        let startsUTC: String
        let startsLocal: String
    }

    struct ListPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let drills: [DrillLine]
        let manages: Bool
    }

    /// One inject as the viewer's team received it.
    struct Received: Encodable {
        let key: String
        let subject: String
        let body: String
        let channel: String
        let attachments: [String]
        let expects: String?
        let deadlineUTC: String?
        let deadlineLocal: String?
        let state: String
        let canAnswer: Bool
        let action: String?
    }

    struct DrillPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let id: String
        let title: String
        let state: String
        let startsUTC: String
        let startsLocal: String
        let banner: String
        let controls: Bool
        let board: DrillBoardDTO
        let received: [Received]
        let teams: [String]
        let pending: [String]
    }

    struct ReportPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let report: DrillReportDTO
        let acknowledgedWithin: [String]
        let medianToAcknowledge: String
        let p90ToAcknowledge: String
        let acknowledgementChart: String
        let completionChart: String
        let rows: [ReportRow]
        let timeline: [String]
    }

    /// One team's line of the report table.
    struct ReportRow: Encodable {
        let name: String
        let economy: String
        let partner: Bool
        let cells: [String]
        let completion: String
    }

    struct LibraryPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let scenarios: [DrillScenarioDTO]
        let problems: [String]
        let added: String?
    }

    /// The answer form.
    struct AnswerForm: Content {
        let inject: String
        let kind: String
        let observables: String?
        let team: String?
        let text: String?
    }

    /// Exercise control's buttons.
    struct ControlForm: Content {
        let action: String
        let inject: String?
    }

    /// The upload form (multipart): the scenario file and its attachments.
    struct UploadForm: Content {
        let scenario: File
        let attachments: [File]?
    }

    func boot(routes: any RoutesBuilder) throws {
        typealias P = Paths.Drills
        let drills = routes.grouped(.constant(P.drills))
        drills.get(use: list)
        drills.post(use: plan)
        drills.get(.constant(P.scenarios), use: library)
        drills.on(.POST, .constant(P.scenarios), body: .collect(maxSize: "30mb"), use: upload)
        drills.get(":drill", use: show)
        drills.get(":drill", .constant(P.board), .constant(P.events), use: DrillController.boardEvents)
        drills.post(":drill", .constant(P.respond), use: respond)
        drills.post(":drill", .constant(P.control), use: control)
        drills.get(":drill", .constant(P.report), use: report)
        // The report page's downloads, for a browser's session (the API's answer bearer tokens only).
        drills.get(":drill", .constant(P.reportJSON), use: DrillController().report)
        drills.get(":drill", .constant(P.reportCSV), use: DrillController().reportCSV)
        drills.get(":drill", .constant(P.files), ":name", use: file)
    }

    @Sendable func list(req: Request) async throws -> View {
        let zone = try await Self.viewerZone(req)
        var lines: [DrillLine] = []
        for drill in try await Drill.query(on: req.db).sort(\.$startsAt, .descending).all()
        where req.policy.allows(.readDrill(try await DrillService.parties(of: drill, on: req.db))) {
            lines.append(
                DrillLine(
                    id: try drill.requireID().uuidString.lowercased(), title: drill.title, state: drill.state.rawValue,
                    startsUTC: NotificationText.utc(drill.startsAt),
                    startsLocal: NotificationText.local(drill.startsAt, in: zone)))
        }
        return try await req.view.render(
            "drills",
            ListPage(
                viewer: try await req.webViewer(), csrf: req.csrfToken, drills: lines,
                manages: req.policy.allows(.manageDrills)))
    }

    @Sendable func show(req: Request) async throws -> View {
        let (drill, parties) = try await DrillService.visible(
            req.parameters.get("drill", as: UUID.self), caller: req.caller)
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        let now = req.application.drillClock.now()
        let seesAll = req.policy.allows(.readDrillTimes(parties))
        let board = try await DrillBoard.build(
            drill, rowsOf: seesAll ? nil : [principal.teamID], at: now, on: req.db)
        let zone = try await Self.viewerZone(req)
        let received = try await Self.received(
            drill, team: principal.teamID, answers: req.policy.allows(.respondInDrill(parties)), zone: zone, now: now,
            on: req.db)
        let teams = try await Team.query(on: req.db).sort(\.$slug).all(\.$slug)
        return try await req.view.render(
            "drill",
            DrillPage(
                viewer: try await req.webViewer(), csrf: req.csrfToken,
                id: try drill.requireID().uuidString.lowercased(),
                title: drill.title, state: drill.state.rawValue, startsUTC: NotificationText.utc(drill.startsAt),
                startsLocal: NotificationText.local(drill.startsAt, in: zone), banner: DrillInjectText.banner,
                controls: req.policy.allows(.controlDrill(parties)), board: board, received: received, teams: teams,
                pending: board.injects.filter { $0.state == "pending" }.map(\.key)))
    }

    @Sendable func respond(req: Request) async throws -> Response {
        let (drill, parties) = try await DrillService.visible(
            req.parameters.get("drill", as: UUID.self), caller: req.caller)
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        try req.policy.require(.respondInDrill(parties))
        let form = try req.content.decode(AnswerForm.self)
        let observables = (form.observables ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace })
            .map(String.init)
        let response = try DrillService.playerResponse(
            DrillResponseInput(
                inject: form.inject, kind: form.kind, observables: observables, team: form.team, text: form.text))
        _ = try await DrillResponses.record(
            response, to: form.inject, in: drill, team: principal.teamID, user: principal.userID,
            at: req.application.drillClock.now(), on: req.db)
        return req.redirect(
            to: Paths.Drills.drillPage(try drill.requireID().uuidString.lowercased()), redirectType: .normal)
    }

    @Sendable func control(req: Request) async throws -> Response {
        let (drill, parties) = try await DrillService.visible(
            req.parameters.get("drill", as: UUID.self), caller: req.caller)
        try req.policy.require(.controlDrill(parties))
        let form = try req.content.decode(ControlForm.self)
        try await DrillService.command(
            DrillControlInput(action: form.action, inject: form.inject), to: drill, caller: req.caller)
        return req.redirect(
            to: Paths.Drills.drillPage(try drill.requireID().uuidString.lowercased()), redirectType: .normal)
    }

    @Sendable func report(req: Request) async throws -> View {
        let (drill, parties) = try await DrillService.visible(
            req.parameters.get("drill", as: UUID.self), caller: req.caller)
        let report = try await DrillService.report(
            drill, parties: parties, thresholds: req.query[String.self, at: "thresholds"], caller: req.caller)
        let minutes = { (seconds: Double?) in
            seconds.map { "\(DecimalText.oneDecimal($0 / 60)) min" } ?? "none"
        }
        let figures = report.figures
        let acknowledgement = SVGBarChart(
            title: "Minutes to acknowledge the first inject", unit: "min",
            bars: report.teams.map { team in
                let first = team.cells.first
                return SVGBarChart.Bar(
                    label: team.name + (team.partner ? " (partner)" : ""),
                    value: first?.secondsToAcknowledge.map { Double($0) / 60 },
                    highlighted: first.map { cell in
                        cell.deadlineAt.map { deadline in
                            cell.secondsToAcknowledge.map { Double($0) > deadline.timeIntervalSince(cell.deliveredAt) }
                                ?? false
                        } ?? false
                    } ?? false)
            },
            markers: report.thresholds.map { (Double($0), "\($0) min") })
        let completion = SVGBarChart(
            title: "Expected responses in time, % per team", unit: "%",
            bars: report.teams.map { team in
                SVGBarChart.Bar(
                    label: team.name,
                    value: team.expected == 0 ? nil : Double(team.completedInTime * 100 / team.expected))
            })
        let rows = report.teams.map { team in
            ReportRow(
                name: team.name, economy: team.economy, partner: team.partner,
                cells: team.cells.map { cell in
                    var text = "\(cell.inject): \(cell.state.rawValue)"
                    if let seconds = cell.secondsToAcknowledge { text += ", ack \(minutes(Double(seconds)))" }
                    if let seconds = cell.secondsToComplete { text += ", done \(minutes(Double(seconds)))" }
                    return text + (cell.late ? " (late)" : "")
                },
                completion: "\(team.completedInTime)/\(team.expected)")
        }
        return try await req.view.render(
            "drill-report",
            ReportPage(
                viewer: try await req.webViewer(), csrf: req.csrfToken, report: report,
                acknowledgedWithin: report.thresholds.map {
                    "\(DecimalText.oneDecimal(figures.acknowledgedWithin[$0] ?? 0))% within \($0) min"
                },
                medianToAcknowledge: minutes(figures.medianSecondsToAcknowledge),
                p90ToAcknowledge: minutes(figures.p90SecondsToAcknowledge),
                acknowledgementChart: Self.dataURI(acknowledgement.render()),
                completionChart: Self.dataURI(completion.render()), rows: rows,
                timeline: report.timeline.map { event in
                    (event.at.map(NotificationText.utc) ?? "not released") + ": " + event.text
                }))
    }

    @Sendable func library(req: Request) async throws -> View {
        try req.policy.require(.manageDrills)
        return try await libraryPage(req, problems: [], added: nil)
    }

    @Sendable func upload(req: Request) async throws -> Response {
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        try req.policy.require(.manageDrills)
        let form = try req.content.decode(UploadForm.self)
        let source = String(buffer: form.scenario.data)
        var files: [String: Data] = [:]
        for file in form.attachments ?? [] where !file.filename.isEmpty {
            files[file.filename] = Data(buffer: file.data)
        }
        do {
            let (record, _) = try await DrillLibrary.add(
                source: source, files: files, by: principal.userID, at: req.application.clock.now(), on: req.db)
            return try await libraryPage(req, problems: [], added: record.summary).encodeResponse(for: req)
        } catch let error as ConcordError where error.code == .validation {
            let name = form.scenario.filename
            let page = try await libraryPage(
                req, problems: error.fields.map { "\(name): \($0.field): \($0.detail)" }, added: nil)
            return try await page.encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    /// A file an inject attaches: for exercise control, and for the teams that received it.
    @Sendable func file(req: Request) async throws -> Response {
        let (drill, parties) = try await DrillService.visible(
            req.parameters.get("drill", as: UUID.self), caller: req.caller)
        guard let principal = req.auth.get(Principal.self), let name = req.parameters.get("name") else {
            throw ConcordError.unauthenticated
        }
        if !req.policy.allows(.readDrillTimes(parties)) {
            let received = try await DrillDelivery.query(on: req.db).filter(\.$drillID == drill.requireID())
                .filter(\.$teamID == principal.teamID).all(\.$injectID)
            let injects = try await DrillInjectRecord.query(on: req.db).filter(\.$id ~~ received).all()
            guard injects.contains(where: { $0.attachmentNames.contains(name) }) else {
                throw ConcordError.notFound("file \(name)")
            }
        }
        guard
            let file = try await DrillScenarioFile.query(on: req.db).filter(\.$scenarioID == drill.scenarioID)
                .filter(\.$name == name).first()
        else { throw ConcordError.notFound("file \(name)") }
        let response = Response(status: .ok, body: .init(data: file.content))
        response.headers.contentType = .binary
        response.headers.contentDisposition = .init(.attachment, filename: (name as NSString).lastPathComponent)
        return response
    }

    // MARK: Helpers

    func libraryPage(_ req: Request, problems: [String], added: String?) async throws -> View {
        let scenarios = try await DrillScenarioRecord.query(on: req.db).sort(\.$createdAt, .descending).all()
            .map { try DrillScenarioDTO($0) }
        return try await req.view.render(
            "drill-scenarios",
            LibraryPage(
                viewer: try await req.webViewer(), csrf: req.csrfToken, scenarios: scenarios, problems: problems,
                added: added))
    }

    /// The injects `team` received, filled for it, newest first.
    private static func received(
        _ drill: Drill, team: UUID, answers: Bool, zone: TimeZone, now: Date, on db: any Database
    ) async throws -> [Received] {
        let deliveries = try await DrillDelivery.query(on: db).filter(\.$drillID == drill.requireID())
            .filter(\.$teamID == team).sort(\.$deliveredAt, .descending).all()
        guard !deliveries.isEmpty, let row = try await Team.query(on: db).filter(\.$id == team).with(\.$economy).first()
        else { return [] }
        let injects = try await DrillInjectRecord.query(on: db).filter(\.$id ~~ deliveries.map(\.injectID)).all()
        let actions = try await DrillActionRecord.query(on: db).filter(\.$drillID == drill.requireID())
            .filter(\.$teamID == team).all()
        return try deliveries.compactMap { delivery in
            guard let inject = injects.first(where: { $0.id == delivery.injectID }) else { return nil }
            let values = DrillInjectText.values(drill: drill, team: row)
            let expectation = try DrillRelease.expectation(of: inject)
            let state = DrillProgress.of(
                skipped: false, delivered: delivery.deliveredAt, deadline: delivery.deadlineAt,
                acknowledged: delivery.acknowledgedAt, completed: delivery.completedAt, now: now)
            return Received(
                key: inject.key, subject: DrillInjectText.subject(inject, drill: drill, team: row),
                body: DrillPlaceholders.fill(inject.body, with: values), channel: inject.channel,
                attachments: inject.attachmentNames,
                expects: expectation.map { DrillInjectText.describe($0.action) },
                deadlineUTC: delivery.deadlineAt.map(NotificationText.utc),
                deadlineLocal: delivery.deadlineAt.map { NotificationText.local($0, in: zone) },
                state: state.rawValue
                    + (DrillProgress.late(deadline: delivery.deadlineAt, completed: delivery.completedAt)
                        ? " (late)" : ""),
                canAnswer: answers && (drill.state == .running || drill.state == .paused),
                action: expectation?.action.name
                    ?? (actions.contains { $0.deliveryID == delivery.id } ? nil : "acknowledge"))
        }
    }

    private static func viewerZone(_ req: Request) async throws -> TimeZone {
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        let team = try await Team.find(principal.teamID, on: req.db)
        return team.flatMap { TimeZone(identifier: $0.timeZone) } ?? .gmt
    }

    private static func dataURI(_ svg: String) -> String {
        "data:image/svg+xml;base64," + Data(svg.utf8).base64EncodedString()
    }
}
