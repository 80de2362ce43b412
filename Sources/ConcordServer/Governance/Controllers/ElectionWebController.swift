import ConcordCore
import Fluent
import Vapor

/// `/governance/elections/…`: an election in the browser. Every member reads the candidates and
/// their statements, who has voted and, at the close, the result, the count sheet and the board's
/// head; a team's handlers and administrators nominate, second and cast its secret ballot (the
/// tracking code is shown once, after casting); the secretariat calls, opens, closes or cancels.
/// Through the same services as the API and the command line.
struct ElectionWebController: RouteCollection {
    typealias E = Paths.Elections

    struct CallForm: Content {
        var meeting: String?
        var office: String?
        var seatClass: String?
        var method: String?
        var nominationsCloseAt: String?
        var title: String?
    }

    struct NominationForm: Content {
        var team: String?
        var holder: String?
        var statement: String?
    }

    struct BallotForm: Content {
        var choices: [String]?
        var team: String?
    }

    static let flashKey = "election-flash"

    func boot(routes: any RoutesBuilder) throws {
        let elections = routes.grouped(.constant(Paths.Governance.governance), .constant(E.elections))
        elections.post(use: call)
        let election = elections.grouped(":election")
        election.get(use: show)
        election.post(.constant(E.nominations), use: nominate)
        election.post(.constant(E.nominations), ":team", .constant(E.second), use: second)
        election.post(.constant(E.nominations), ":team", .constant(E.withdraw), use: withdraw)
        election.post(.constant(E.open), use: open)
        election.post(.constant(E.ballots), use: cast)
        election.post(.constant(E.close), use: close)
        election.post(.constant(E.cancel), use: cancel)
    }

    static func path(_ reference: String) -> String { "/\(Paths.Governance.governance)/\(E.elections)/\(reference)" }

    @Sendable func show(req: Request) async throws -> Response {
        try req.policy.require(.readGovernance)
        return try await render(req, req.parameters.get("election"), flash: req.takeFlash(Self.flashKey))
    }

    @Sendable func call(req: Request) async throws -> Response {
        try req.policy.require(.runMeetings)
        let form = try req.content.decode(CallForm.self)
        do {
            let close = try form.nominationsCloseAt.flatMap { text -> Date? in
                guard !text.isEmpty else { return nil }
                guard let date = ISO8601Parsing.date(text) ?? ISO8601Parsing.date(text + ":00Z") else {
                    throw ConcordError.invalid(
                        field: "nominationsCloseAt", "must be a time in UTC, such as 2027-01-20T01:00")
                }
                return date
            }
            let election = try await Elections.call(
                .init(
                    meeting: form.meeting, office: form.office,
                    seatClass: form.seatClass.flatMap { Int($0) }.map { $0 - 1 },
                    method: form.method.flatMap(ElectionMethod.init(rawValue:)), title: form.title,
                    nominationsCloseAt: close),
                caller: req.caller)
            req.session.data[Self.flashKey] = "\(election.reference) is called: nominations are open."
            return req.redirect(to: Self.path(election.reference), redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation || error.code == .conflict {
            req.session.data[GovernanceWebController.flashKey] =
                "Not called: "
                + (error.fields.isEmpty
                    ? error.detail : error.fields.map { "\($0.field): \($0.detail)" }.joined(separator: "; "))
            return req.redirect(to: "/\(Paths.Governance.governance)#elections", redirectType: .normal)
        }
    }

    @Sendable func nominate(req: Request) async throws -> Response {
        try Meetings.requireParticipant(req.caller)
        let form = try req.content.decode(NominationForm.self)
        let reference = req.parameters.get("election")
        return try await act(req, reference, done: "The nomination is recorded; it needs a seconder.") {
            _ = try await ElectionNominations.nominate(
                reference,
                .init(
                    team: form.team?.isEmpty == false ? form.team : nil, holder: form.holder,
                    statement: form.statement), caller: req.caller)
        }
    }

    @Sendable func second(req: Request) async throws -> Response {
        try Meetings.requireParticipant(req.caller)
        let reference = req.parameters.get("election")
        return try await act(req, reference, done: "Seconded.") {
            try await ElectionNominations.second(reference, candidate: req.parameters.get("team"), caller: req.caller)
        }
    }

    @Sendable func withdraw(req: Request) async throws -> Response {
        try Meetings.requireParticipant(req.caller)
        let reference = req.parameters.get("election")
        return try await act(req, reference, done: "The candidacy is withdrawn.") {
            try await ElectionNominations.withdraw(reference, candidate: req.parameters.get("team"), caller: req.caller)
        }
    }

    @Sendable func open(req: Request) async throws -> Response {
        try req.policy.require(.runMeetings)
        let reference = req.parameters.get("election")
        return try await act(req, reference, done: "The ballot is open.") {
            _ = try await Elections.open(reference, caller: req.caller)
        }
    }

    @Sendable func cast(req: Request) async throws -> Response {
        let principal = try req.caller.requirePrincipal()
        try req.policy.require(.actForTeamInMeeting(team: principal.teamID))
        let form = try req.content.decode(BallotForm.self)
        let reference = req.parameters.get("election")
        var code = ""
        var team = ""
        let response = try await act(req, reference, done: "") {
            let receipt = try await ElectionBallots.cast(
                reference, choices: (form.choices ?? []).filter { !$0.isEmpty },
                team: form.team?.isEmpty == false ? form.team : nil, caller: req.caller)
            code = receipt.trackingCode
            team = receipt.team.shortName
        }
        if !code.isEmpty {
            req.session.data[Self.flashKey] =
                "\(team)'s ballot is taken. Its tracking code is \(code): note it now, it is not shown again. "
                + "Once the election closes, find it on the board with the choices made."
        }
        return response
    }

    @Sendable func close(req: Request) async throws -> Response {
        try req.policy.require(.runMeetings)
        let reference = req.parameters.get("election")
        return try await act(req, reference, done: "The ballot is closed, counted and its board published.") {
            _ = try await Elections.close(reference, caller: req.caller)
        }
    }

    @Sendable func cancel(req: Request) async throws -> Response {
        try req.policy.require(.runMeetings)
        let reference = req.parameters.get("election")
        return try await act(req, reference, done: "The election is cancelled.") {
            _ = try await Elections.cancel(reference, caller: req.caller)
        }
    }

    /// Does `work`, then goes back to the election with `done`; a refusal is shown in place.
    private func act(_ req: Request, _ reference: String?, done: String, _ work: () async throws -> Void)
        async throws -> Response
    {
        do {
            try await work()
            if !done.isEmpty { req.session.data[Self.flashKey] = done }
            return req.redirect(to: Self.path(reference ?? ""), redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation || error.code == .conflict {
            return try await render(req, reference, errors: error.formFields, status: error.status)
        }
    }

    private func render(
        _ req: Request, _ reference: String?, flash: String? = nil, errors: [ConcordError.FieldError] = [],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let page = ElectionPage(
            viewer: try await req.webViewer(), csrf: req.csrfToken,
            election: try await ElectionView.make(reference, caller: req.caller),
            runs: req.policy.allows(.runMeetings), flash: flash, errors: errors)
        return try await req.view.render("election", page).encodeResponse(status: status, for: req)
    }
}
