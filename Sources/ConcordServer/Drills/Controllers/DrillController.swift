import ConcordCore
import Fluent
import Vapor

/// The drills' JSON API: the scenario library and drill planning (secretariat), exercise control
/// (pause, resume, release, skip, ad-hoc injects, decisions), the players' answers, and the live
/// board with its event stream. Every time comes from the drill clock.
struct DrillController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        typealias P = Paths.Drills
        let scenarios = routes.grouped(.constant(P.scenarioLibrary))
        scenarios.post(use: addScenario)
        scenarios.get(use: listScenarios)
        scenarios.get(":scenario", use: showScenario)
        let drills = routes.grouped(.constant(P.drills))
        drills.post(use: createDrill)
        drills.get(use: listDrills)
        drills.get(":drill", .constant(P.board), use: board)
        drills.get(":drill", .constant(P.board), .constant(P.events), use: Self.boardEvents)
        drills.get(":drill", .constant(P.report), use: report)
        drills.get(":drill", .constant(P.reportCSV), use: reportCSV)
        drills.post(":drill", .constant(P.control), use: control)
        drills.post(":drill", .constant(P.injects), use: adhoc)
        drills.post(":drill", .constant(P.responses), use: respond)
        drills.on(.POST, ":drill", .constant(P.replies), body: .collect(maxSize: "1mb"), use: reply)
        drills.get(":drill", .constant(P.actions), use: actions)
        drills.post(":drill", .constant(P.actions), ":action", .constant(P.decision), use: decide)
    }

    @Sendable func addScenario(req: Request) async throws -> Response {
        let principal = try Self.principal(req)
        try req.policy.require(.manageDrills)
        let input = try req.content.decode(DrillScenarioInput.self)
        var files: [String: Data] = [:]
        var validator = FieldValidator()
        for (name, base64) in input.files ?? [:] {
            guard let content = Data(base64Encoded: base64) else {
                validator.fail("files.\(name)", "must be base64")
                continue
            }
            files[name] = content
        }
        try validator.throwIfFailed()
        let (record, _) = try await DrillLibrary.add(
            source: input.source, files: files, by: principal.userID, at: req.application.clock.now(), on: req.db)
        return try await DrillScenarioDTO(record).encodeResponse(status: .created, for: req)
    }

    @Sendable func listScenarios(req: Request) async throws -> [DrillScenarioDTO] {
        try req.policy.require(.manageDrills)
        return try await DrillScenarioRecord.query(on: req.db).sort(\.$createdAt, .descending).all()
            .map { try DrillScenarioDTO($0) }
    }

    @Sendable func showScenario(req: Request) async throws -> DrillScenarioDTO {
        try req.policy.require(.manageDrills)
        guard let id = req.parameters.get("scenario", as: UUID.self),
            let record = try await DrillScenarioRecord.find(id, on: req.db)
        else { throw ConcordError.notFound("scenario") }
        return try DrillScenarioDTO(record, withSource: true)
    }

    @Sendable func createDrill(req: Request) async throws -> Response {
        _ = try Self.principal(req)
        try req.policy.require(.manageDrills)  // before the body is read: a refused caller learns nothing
        let drill = try await DrillPlanning.plan(try req.content.decode(DrillInput.self), caller: req.caller)
        return try await DrillDTO(drill).encodeResponse(status: .created, for: req)
    }

    @Sendable func listDrills(req: Request) async throws -> [DrillDTO] {
        try req.policy.require(.readDirectory)
        var visible: [DrillDTO] = []
        for drill in try await Drill.query(on: req.db).sort(\.$startsAt, .descending).all()
        where req.policy.allows(.readDrill(try await Self.parties(of: drill, on: req.db))) {
            visible.append(try DrillDTO(drill))
        }
        return visible
    }

    @Sendable func board(req: Request) async throws -> DrillBoardDTO {
        let (drill, parties) = try await Self.visibleDrill(req)
        return try await DrillBoard.build(
            drill, rowsOf: Self.rows(req, parties), at: req.application.drillClock.now(), on: req.db)
    }

    /// Server-sent events: the board as `event: board`, again whenever it changes (looked at every
    /// two seconds), until the client goes or the drill has been over for a minute.
    @Sendable static func boardEvents(req: Request) async throws -> Response {
        let (drill, parties) = try await Self.visibleDrill(req)
        let rows = try rows(req, parties)
        let drillID = try drill.requireID()
        let app = req.application
        let db = req.db
        let response = Response(status: .ok)
        response.headers.contentType = HTTPMediaType(type: "text", subType: "event-stream")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.body = .init(asyncStream: { writer in
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = .sortedKeys
            var last = Data()
            var finishedSince: Date?
            do {
                while !Task.isCancelled {
                    guard let current = try await Drill.find(drillID, on: db) else { break }
                    let board = try await DrillBoard.build(current, rowsOf: rows, at: app.drillClock.now(), on: db)
                    let data = try encoder.encode(board)
                    if data != last {
                        var buffer = ByteBuffer(string: "event: board\ndata: ")
                        buffer.writeBytes(data)
                        buffer.writeString("\n\n")
                        try await writer.write(.buffer(buffer))
                        last = data
                    }
                    if current.state == .finished {
                        finishedSince = finishedSince ?? req.application.clock.now()
                        if let since = finishedSince, req.application.clock.now().timeIntervalSince(since) > 60 {
                            break
                        }
                    }
                    try await Task.sleep(for: .seconds(2))
                }
                try await writer.write(.end)
            } catch {
                try? await writer.write(.end)
            }
        })
        return response
    }

    @Sendable func control(req: Request) async throws -> DrillBoardDTO {
        let (drill, parties) = try await Self.visibleDrill(req)
        try req.policy.require(.controlDrill(parties))
        try await DrillService.command(try req.content.decode(DrillControlInput.self), to: drill, caller: req.caller)
        return try await DrillBoard.build(drill, rowsOf: nil, at: req.application.drillClock.now(), on: req.db)
    }

    @Sendable func adhoc(req: Request) async throws -> Response {
        let (drill, parties) = try await Self.visibleDrill(req)
        try req.policy.require(.controlDrill(parties))
        let input = try req.content.decode(DrillAdhocInput.self)
        var validator = FieldValidator()
        validator.check(
            input.id.range(of: "^[a-z0-9][a-z0-9-]{0,62}$", options: .regularExpression) != nil, "id",
            "must be a slug: lower-case letters, digits and hyphens")
        let channel = DrillInject.Channel(rawValue: input.channel)
        validator.check(channel != nil, "channel", "must be incident, email or web")
        validator.check(!input.subject.isEmpty && input.subject.count <= 300, "subject", "must be 1 to 300 characters")
        validator.check(!input.body.isEmpty, "body", "must not be empty")
        let taken = try await DrillInjectRecord.query(on: req.db).filter(\.$drillID == drill.requireID())
            .filter(\.$key == input.id).count()
        validator.check(taken == 0, "id", "is already an inject of this drill")
        try validator.throwIfFailed()
        let inject = DrillInject(
            id: input.id, offsetSeconds: 0, recipients: input.to.map { .teams($0) } ?? .allPlayers,
            channel: channel ?? .web, subject: input.subject, body: input.body, attachments: [], expectation: nil)
        let record = try await DrillControl.adhoc(
            inject, in: drill, at: req.application.drillClock.now(), mailedAt: req.application.clock.now(), on: req.db)
        try await AuditLog.record(
            "drill.adhoc", targetType: "drill", targetID: drill.id?.uuidString,
            summary: "\(drill.title): ad-hoc inject \(record.key)", caller: req.caller, on: req.db)
        return try await DrillBoard.build(drill, rowsOf: nil, at: req.application.drillClock.now(), on: req.db)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable func respond(req: Request) async throws -> Response {
        let principal = try Self.principal(req)
        let (drill, parties) = try await Self.visibleDrill(req)
        try req.policy.require(.respondInDrill(parties))
        let input = try req.content.decode(DrillResponseInput.self)
        let response = try DrillService.playerResponse(input)
        let action = try await DrillResponses.record(
            response, to: input.inject, in: drill, team: principal.teamID, user: principal.userID,
            at: req.application.drillClock.now(), on: req.db)
        return try await DrillActionDTO(action).encodeResponse(status: .created, for: req)
    }

    /// A reply mail as exercise control's mailbox received it, signed with a playing team's key.
    @Sendable func reply(req: Request) async throws -> Response {
        let (drill, parties) = try await Self.visibleDrill(req)
        try req.policy.require(.controlDrill(parties))
        guard let mail = req.body.string, !mail.isEmpty else {
            throw ConcordError.invalid(field: "mail", "send the reply mail as the request body")
        }
        let action = try await DrillReplies.answer(
            mail, in: drill, at: req.application.drillClock.now(), app: req.application, on: req.db)
        return try await DrillActionDTO(action).encodeResponse(status: .created, for: req)
    }

    @Sendable func actions(req: Request) async throws -> [DrillActionDTO] {
        let principal = try Self.principal(req)
        let (drill, parties) = try await Self.visibleDrill(req)
        let query = DrillActionRecord.query(on: req.db).filter(\.$drillID == (try drill.requireID())).sort(\.$at)
        if !req.policy.allows(.readDrillTimes(parties)) { query.filter(\.$teamID == principal.teamID) }
        return try await query.all().map { try DrillActionDTO($0) }
    }

    @Sendable func decide(req: Request) async throws -> DrillActionDTO {
        let principal = try Self.principal(req)
        let (drill, parties) = try await Self.visibleDrill(req)
        try req.policy.require(.controlDrill(parties))
        guard let id = req.parameters.get("action", as: UUID.self) else { throw ConcordError.notFound("action") }
        let input = try req.content.decode(DrillDecisionInput.self)
        let action = try await DrillResponses.decide(
            id, confirmed: input.confirmed, in: drill, by: principal.userID, on: req.db)
        return try DrillActionDTO(action)
    }

    @Sendable func report(req: Request) async throws -> DrillReportDTO {
        let (drill, parties) = try await Self.visibleDrill(req)
        return try await DrillService.report(
            drill, parties: parties, thresholds: req.query[String.self, at: "thresholds"], caller: req.caller)
    }

    @Sendable func reportCSV(req: Request) async throws -> Response {
        let (drill, parties) = try await Self.visibleDrill(req)
        let report = try await DrillService.report(
            drill, parties: parties, thresholds: req.query[String.self, at: "thresholds"], caller: req.caller)
        let response = Response(status: .ok, body: .init(string: DrillReport.csv(report)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        return response
    }

    // MARK: Helpers

    private static func principal(_ req: Request) throws -> Principal {
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        return principal
    }

    /// The drill of the path, if the principal may see it (404 otherwise, so drills stay unlisted).
    static func visibleDrill(_ req: Request) async throws -> (Drill, DrillParties) {
        try await DrillService.visible(req.parameters.get("drill", as: UUID.self), caller: req.caller)
    }

    static func parties(of drill: Drill, on db: any Database) async throws -> DrillParties {
        try await DrillService.parties(of: drill, on: db)
    }

    /// Whose rows the principal sees (`DrillService.rows`).
    static func rows(_ req: Request, _ parties: DrillParties) throws -> Set<UUID>? {
        try DrillService.rows(of: req.caller, parties)
    }
}
