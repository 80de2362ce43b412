import ConcordCore
import Fluent
import Vapor

/// Elections on the API (`/elections`), through `Elections`, `ElectionNominations` and
/// `ElectionBallots`, as the page and the command line. The board of a closed election is public:
/// `GET /elections/REF/board` is what `concord governance verify` reads.
struct ElectionController: RouteCollection {
    typealias E = Paths.Elections

    struct CallInput: Content {
        var meeting: String?
        var office: String?
        var seatClass: Int?
        var method: ElectionMethod?
        var title: String?
        var nominationsCloseAt: Date?
        var seats: Int?
        var termEndsOn: String?
    }

    struct NominationInput: Content {
        var team: String?
        var holder: String?
        var statement: String?
    }

    struct BallotInput: Content {
        var choices: [String]?
        var team: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let elections = routes.grouped(.constant(E.elections))
        elections.get(use: list)
        elections.post(use: call)
        let election = elections.grouped(":election")
        election.get(use: show)
        election.get(.constant(E.board), use: board)
        election.post(.constant(E.nominations), use: nominate)
        election.post(.constant(E.nominations), ":team", .constant(E.second), use: second)
        election.post(.constant(E.nominations), ":team", .constant(E.withdraw), use: withdraw)
        election.post(.constant(E.open), use: open)
        election.post(.constant(E.ballots), use: cast)
        election.post(.constant(E.close), use: close)
        election.post(.constant(E.cancel), use: cancel)
    }

    @Sendable func list(req: Request) async throws -> [ElectionSummaryDTO] {
        try await Elections.list(caller: req.caller).map(ElectionSummaryDTO.init)
    }

    @Sendable func call(req: Request) async throws -> Response {
        try req.policy.require(.runMeetings)
        let input = try req.content.decode(CallInput.self)
        let election = try await Elections.call(
            .init(
                meeting: input.meeting, office: input.office, seatClass: input.seatClass, method: input.method,
                title: input.title, nominationsCloseAt: input.nominationsCloseAt, seats: input.seats,
                termEndsOn: input.termEndsOn),
            caller: req.caller)
        let response = try await ElectionView.make(election.reference, caller: req.caller)
            .encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/\(Paths.api)/\(E.elections)/\(election.reference)")
        return response
    }

    @Sendable func show(req: Request) async throws -> ElectionDTO {
        try await ElectionView.make(req.parameters.get("election"), caller: req.caller)
    }

    @Sendable func board(req: Request) async throws -> ElectionBoard {
        try await Elections.publishedBoard(req.parameters.get("election"), caller: req.caller)
    }

    @Sendable func nominate(req: Request) async throws -> Response {
        try Meetings.requireParticipant(req.caller)
        let input = try req.content.decode(NominationInput.self)
        let reference = req.parameters.get("election")
        _ = try await ElectionNominations.nominate(
            reference, .init(team: input.team, holder: input.holder, statement: input.statement), caller: req.caller)
        return try await ElectionView.make(reference, caller: req.caller).encodeResponse(status: .created, for: req)
    }

    @Sendable func second(req: Request) async throws -> ElectionDTO {
        try Meetings.requireParticipant(req.caller)
        let reference = req.parameters.get("election")
        try await ElectionNominations.second(reference, candidate: req.parameters.get("team"), caller: req.caller)
        return try await ElectionView.make(reference, caller: req.caller)
    }

    @Sendable func withdraw(req: Request) async throws -> ElectionDTO {
        try Meetings.requireParticipant(req.caller)
        let reference = req.parameters.get("election")
        try await ElectionNominations.withdraw(reference, candidate: req.parameters.get("team"), caller: req.caller)
        return try await ElectionView.make(reference, caller: req.caller)
    }

    @Sendable func open(req: Request) async throws -> ElectionDTO {
        let election = try await Elections.open(req.parameters.get("election"), caller: req.caller)
        return try await ElectionView.make(election.reference, caller: req.caller)
    }

    @Sendable func cast(req: Request) async throws -> Response {
        let principal = try req.caller.requirePrincipal()
        try req.policy.require(.actForTeamInMeeting(team: principal.teamID))
        let input = try req.content.decode(BallotInput.self)
        let receipt = try await ElectionBallots.cast(
            req.parameters.get("election"), choices: input.choices, team: input.team, caller: req.caller)
        return try await ElectionBallotReceiptDTO(receipt).encodeResponse(status: .created, for: req)
    }

    @Sendable func close(req: Request) async throws -> ElectionDTO {
        let election = try await Elections.close(req.parameters.get("election"), caller: req.caller)
        return try await ElectionView.make(election.reference, caller: req.caller)
    }

    @Sendable func cancel(req: Request) async throws -> ElectionDTO {
        let election = try await Elections.cancel(req.parameters.get("election"), caller: req.caller)
        return try await ElectionView.make(election.reference, caller: req.caller)
    }
}

extension ElectionBallotReceiptDTO {
    init(_ receipt: ElectionBallots.Receipt) {
        self.init(
            election: receipt.election, team: receipt.team.slug, trackingCode: receipt.trackingCode,
            note:
                "Keep this tracking code: no one else is shown it. Once \(receipt.election) closes, find it on the "
                + "board (/api/v1/elections/\(receipt.election)/board) with the choices you made.")
    }
}

extension ElectionBoard: Content {}
