import ConcordCore
import Fluent
import Vapor

/// General meetings and their motions on the API (`/governance/meetings`, `/governance/motions`),
/// each through `Meetings`, `MeetingAttendanceService` and `Motions`, as the page and the command
/// line.
struct MeetingController: RouteCollection {
    typealias G = Paths.Governance

    struct ConveneInput: Content {
        var kind: MeetingKind?
        var title: String?
        var startsAt: Date?
        var timeZone: String?
        var location: String?
        var agenda: [String]?
    }

    struct CheckInInput: Content {
        var team: String?
        var mode: AttendanceMode?
    }

    struct ProxyInput: Content {
        var giver: String?
        var holder: String?
    }

    struct MotionInput: Content {
        var kind: DecisionKind?
        var title: String?
        var text: String?
        var mover: String?
        var seconder: String?
        var amends: String?
    }

    struct TeamInput: Content {
        var team: String?
    }

    struct VoteInput: Content {
        var choice: VoteChoice?
        var team: String?
    }

    struct CastingVoteInput: Content {
        var castingVote: Bool?
    }

    func boot(routes: any RoutesBuilder) throws {
        let meetings = routes.grouped(.constant(G.governance), .constant(G.meetings))
        meetings.get(use: list)
        meetings.post(use: convene)
        let meeting = meetings.grouped(":meeting")
        meeting.get(use: show)
        meeting.post(.constant(G.open), use: open)
        meeting.post(.constant(G.close), use: close)
        meeting.post(.constant(G.attendance), use: checkIn)
        meeting.post(.constant(G.proxies), use: proxy)
        meeting.post(.constant(G.motions), use: propose)
        meeting.get(.constant(G.minutes), ":file", use: Self.minutes)
        let motion = routes.grouped(.constant(G.governance), .constant(G.motions), ":motion")
        motion.get(use: showMotion)
        motion.post(.constant(G.second), use: second)
        motion.post(.constant(G.open), use: openVote)
        motion.post(.constant(G.votes), use: vote)
        motion.post(.constant(G.close), use: closeVote)
        motion.post(.constant(G.castingVote), use: castingVote)
    }

    @Sendable func list(req: Request) async throws -> [MeetingSummaryDTO] {
        try await Meetings.list(caller: req.caller).map(MeetingSummaryDTO.init)
    }

    @Sendable func convene(req: Request) async throws -> Response {
        try req.policy.require(.runMeetings)
        let input = try req.content.decode(ConveneInput.self)
        let meeting = try await Meetings.convene(
            Meetings.Convening(
                kind: input.kind, title: input.title, startsAt: input.startsAt, timeZone: input.timeZone,
                location: input.location, agenda: input.agenda.map { $0.map { AgendaItem(kind: "item", title: $0) } }),
            caller: req.caller)
        let response = try await MeetingView.make(meeting.reference, caller: req.caller)
            .encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: "/\(Paths.api)/\(G.governance)/\(G.meetings)/\(meeting.reference)")
        return response
    }

    @Sendable func show(req: Request) async throws -> MeetingDTO {
        try await MeetingView.make(req.parameters.get("meeting"), caller: req.caller)
    }

    @Sendable func open(req: Request) async throws -> MeetingDTO {
        let meeting = try await Meetings.move(req.parameters.get("meeting"), to: .open, caller: req.caller)
        return try await MeetingView.make(meeting.reference, caller: req.caller)
    }

    @Sendable func close(req: Request) async throws -> MeetingDTO {
        let meeting = try await Meetings.move(req.parameters.get("meeting"), to: .closed, caller: req.caller)
        return try await MeetingView.make(meeting.reference, caller: req.caller)
    }

    @Sendable func checkIn(req: Request) async throws -> Response {
        try Meetings.requireParticipant(req.caller)
        let input = try req.content.decode(CheckInInput.self)
        guard let team = input.team else { throw ConcordError.invalid(field: "team", "is required") }
        let reference = req.parameters.get("meeting")
        _ = try await MeetingAttendanceService.checkIn(
            reference, team: team, mode: input.mode ?? .inPerson, caller: req.caller)
        return try await MeetingView.make(reference, caller: req.caller).encodeResponse(status: .created, for: req)
    }

    @Sendable func proxy(req: Request) async throws -> Response {
        try Meetings.requireParticipant(req.caller)
        let input = try req.content.decode(ProxyInput.self)
        guard let giver = input.giver, let holder = input.holder else {
            throw ConcordError.invalid([
                .init(field: "giver", detail: "is required"), .init(field: "holder", detail: "is required"),
            ])
        }
        let reference = req.parameters.get("meeting")
        _ = try await MeetingAttendanceService.giveProxy(reference, giver: giver, holder: holder, caller: req.caller)
        return try await MeetingView.make(reference, caller: req.caller).encodeResponse(status: .created, for: req)
    }

    @Sendable func propose(req: Request) async throws -> Response {
        try Meetings.requireParticipant(req.caller)
        let input = try req.content.decode(MotionInput.self)
        let motion = try await Motions.propose(
            req.parameters.get("meeting"),
            Motions.Proposal(
                kind: input.kind, title: input.title, text: input.text, mover: input.mover, seconder: input.seconder,
                amends: input.amends), caller: req.caller)
        let response = try await Self.motion(motion.reference, req).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: "/\(Paths.api)/\(G.governance)/\(G.motions)/\(motion.reference)")
        return response
    }

    @Sendable func showMotion(req: Request) async throws -> MotionDTO {
        try req.policy.require(.readGovernance)
        return try await Self.motion(req.parameters.get("motion"), req)
    }

    @Sendable func second(req: Request) async throws -> MotionDTO {
        try Meetings.requireParticipant(req.caller)
        let input = try req.content.decode(TeamInput.self)
        guard let team = input.team else { throw ConcordError.invalid(field: "team", "is required") }
        let motion = try await Motions.second(req.parameters.get("motion"), by: team, caller: req.caller)
        return try await Self.motion(motion.reference, req)
    }

    @Sendable func openVote(req: Request) async throws -> MotionDTO {
        let motion = try await Motions.openVote(req.parameters.get("motion"), caller: req.caller)
        return try await Self.motion(motion.reference, req)
    }

    @Sendable func vote(req: Request) async throws -> Response {
        try Meetings.requireParticipant(req.caller)
        let input = try req.content.decode(VoteInput.self)
        let reference = req.parameters.get("motion")
        _ = try await Motions.castVote(reference, choice: input.choice, team: input.team, caller: req.caller)
        return try await Self.motion(reference, req).encodeResponse(status: .created, for: req)
    }

    @Sendable func closeVote(req: Request) async throws -> MotionDTO {
        let motion = try await Motions.closeVote(req.parameters.get("motion"), caller: req.caller)
        return try await Self.motion(motion.reference, req)
    }

    @Sendable func castingVote(req: Request) async throws -> MotionDTO {
        try req.policy.require(.runMeetings)
        let input = try req.content.decode(CastingVoteInput.self)
        let motion = try await Motions.decideTie(
            req.parameters.get("motion"), castingVote: input.castingVote, caller: req.caller)
        return try await Self.motion(motion.reference, req)
    }

    /// `…/minutes/{file}`, on the API and for a browser's session: the minutes' JSON, its
    /// signature, the HTML or the PDF (`MeetingMinutes.file`).
    @Sendable static func minutes(req: Request) async throws -> Response {
        let file = try await MeetingMinutes.file(
            req.parameters.get("file"), reference: req.parameters.get("meeting"), caller: req.caller)
        let response = Response(status: .ok, body: .init(data: file.data))
        response.headers.replaceOrAdd(name: .contentType, value: file.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(file.filename)\"")
        return response
    }

    /// One motion as the meeting shows it.
    static func motion(_ reference: String?, _ req: Request) async throws -> MotionDTO {
        let motion = try await Motions.find(reference, on: req.db)
        let meeting = try await MeetingView.make(motion.meeting.reference, caller: req.caller)
        guard let dto = meeting.motions.first(where: { $0.reference == motion.reference }) else {
            throw ConcordError.notFound("motion")
        }
        return dto
    }
}
