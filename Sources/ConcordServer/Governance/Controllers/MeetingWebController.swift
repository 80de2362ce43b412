import ConcordCore
import Fluent
import Vapor

/// `/governance/meetings/…`: a general meeting in the browser. Everyone in the forum reads its
/// agenda, attendance, quorum and motions; a team's representatives check it in, give its proxy,
/// move and second motions and vote for it (and for the teams whose proxies it holds); the
/// secretariat convenes, opens and closes the meeting and each vote. Through the same services as
/// the API and the command line.
struct MeetingWebController: RouteCollection {
    typealias G = Paths.Governance

    struct ConveneForm: Content {
        var kind: String?
        var title: String?
        var date: String?
        var time: String?
        var timeZone: String?
        var location: String?
    }

    struct TeamForm: Content {
        var team: String?
        var mode: String?
        var giver: String?
        var holder: String?
        var choice: String?
    }

    struct MotionForm: Content {
        var kind: String?
        var title: String?
        var text: String?
        var mover: String?
        var seconder: String?
        var amends: String?
    }

    struct TeamOption: Encodable {
        let slug: String
        let name: String
    }

    struct Page: Encodable {
        let viewer: WebViewer
        let csrf: String
        let meeting: MeetingDTO
        /// The secretariat's desk: open, close, record, convene.
        let runs: Bool
        /// The caller's own team, when its representative may act for it.
        let ownTeam: String?
        /// The teams the caller's representative votes for: its own, present, and those whose proxy it holds.
        let votesFor: [TeamOption]
        let votingMembers: [TeamOption]
        let flash: String?
        let errors: [ConcordError.FieldError]
    }

    static let flashKey = "meeting-flash"

    func boot(routes: any RoutesBuilder) throws {
        let meetings = routes.grouped(.constant(G.governance), .constant(G.meetings))
        meetings.post(use: convene)
        let meeting = meetings.grouped(":meeting")
        meeting.get(use: show)
        meeting.post(.constant(G.open), use: open)
        meeting.post(.constant(G.close), use: close)
        meeting.post(.constant(G.attendance), use: checkIn)
        meeting.post(.constant(G.proxies), use: proxy)
        meeting.post(.constant(G.motions), use: propose)
        meeting.get(.constant(G.minutes), ":file", use: MeetingController.minutes)
        let motion = routes.grouped(.constant(G.governance), .constant(G.motions), ":motion")
        motion.post(.constant(G.second), use: second)
        motion.post(.constant(G.open), use: openVote)
        motion.post(.constant(G.votes), use: vote)
        motion.post(.constant(G.close), use: closeVote)
    }

    static func path(_ reference: String) -> String { "/\(G.governance)/\(G.meetings)/\(reference)" }

    @Sendable func show(req: Request) async throws -> Response {
        try req.policy.require(.readGovernance)
        return try await render(req, req.parameters.get("meeting"), flash: req.takeFlash(Self.flashKey))
    }

    @Sendable func convene(req: Request) async throws -> Response {
        try req.policy.require(.runMeetings)
        let form = try req.content.decode(ConveneForm.self)
        do {
            let meeting = try await Meetings.convene(
                Meetings.Convening(
                    kind: form.kind.flatMap(MeetingKind.init(rawValue:)), title: form.title,
                    startsAt: try Self.start(date: form.date, time: form.time, zone: form.timeZone),
                    timeZone: form.timeZone, location: form.location, agenda: nil),
                caller: req.caller)
            req.session.data[Self.flashKey] = "\(meeting.reference) is convened."
            return req.redirect(to: Self.path(meeting.reference), redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation || error.code == .conflict {
            req.session.data[GovernanceWebController.flashKey] =
                "Not convened: "
                + (error.fields.isEmpty
                    ? error.detail : error.fields.map { "\($0.field): \($0.detail)" }.joined(separator: "; "))
            return req.redirect(to: "/\(G.governance)", redirectType: .normal)
        }
    }

    @Sendable func open(req: Request) async throws -> Response {
        try await act(req, req.parameters.get("meeting"), done: "The meeting is open.") {
            _ = try await Meetings.move(req.parameters.get("meeting"), to: .open, caller: req.caller)
        }
    }

    @Sendable func close(req: Request) async throws -> Response {
        try await act(req, req.parameters.get("meeting"), done: "The meeting is closed.") {
            _ = try await Meetings.move(req.parameters.get("meeting"), to: .closed, caller: req.caller)
        }
    }

    @Sendable func checkIn(req: Request) async throws -> Response {
        try Meetings.requireParticipant(req.caller)
        let form = try req.content.decode(TeamForm.self)
        return try await act(req, req.parameters.get("meeting"), done: "Checked in.") {
            _ = try await MeetingAttendanceService.checkIn(
                req.parameters.get("meeting"), team: form.team ?? "",
                mode: form.mode.flatMap(AttendanceMode.init(rawValue:)) ?? .inPerson, caller: req.caller)
        }
    }

    @Sendable func proxy(req: Request) async throws -> Response {
        try Meetings.requireParticipant(req.caller)
        let form = try req.content.decode(TeamForm.self)
        return try await act(req, req.parameters.get("meeting"), done: "The proxy is given.") {
            _ = try await MeetingAttendanceService.giveProxy(
                req.parameters.get("meeting"), giver: form.giver ?? "", holder: form.holder ?? "", caller: req.caller)
        }
    }

    @Sendable func propose(req: Request) async throws -> Response {
        try Meetings.requireParticipant(req.caller)
        let form = try req.content.decode(MotionForm.self)
        let blank: (String?) -> String? = { $0?.isEmpty == false ? $0 : nil }
        return try await act(req, req.parameters.get("meeting"), done: "The motion is proposed.") {
            _ = try await Motions.propose(
                req.parameters.get("meeting"),
                Motions.Proposal(
                    kind: form.kind.flatMap(DecisionKind.init(rawValue:)), title: form.title, text: form.text,
                    mover: blank(form.mover), seconder: blank(form.seconder), amends: blank(form.amends)),
                caller: req.caller)
        }
    }

    @Sendable func second(req: Request) async throws -> Response {
        try Meetings.requireParticipant(req.caller)
        let form = try req.content.decode(TeamForm.self)
        let motion = try await Motions.find(req.parameters.get("motion"), on: req.db)
        return try await act(req, motion.meeting.reference, done: "\(motion.reference) is seconded.") {
            _ = try await Motions.second(motion.reference, by: form.team ?? "", caller: req.caller)
        }
    }

    @Sendable func openVote(req: Request) async throws -> Response {
        try req.policy.require(.runMeetings)
        let motion = try await Motions.find(req.parameters.get("motion"), on: req.db)
        return try await act(req, motion.meeting.reference, done: "The vote on \(motion.reference) is open.") {
            _ = try await Motions.openVote(motion.reference, caller: req.caller)
        }
    }

    @Sendable func vote(req: Request) async throws -> Response {
        try Meetings.requireParticipant(req.caller)
        let form = try req.content.decode(TeamForm.self)
        let motion = try await Motions.find(req.parameters.get("motion"), on: req.db)
        return try await act(req, motion.meeting.reference, done: "The vote is recorded.") {
            _ = try await Motions.castVote(
                motion.reference, choice: form.choice.flatMap(VoteChoice.init(rawValue:)), team: form.team,
                caller: req.caller)
        }
    }

    @Sendable func closeVote(req: Request) async throws -> Response {
        try req.policy.require(.runMeetings)
        let motion = try await Motions.find(req.parameters.get("motion"), on: req.db)
        return try await act(req, motion.meeting.reference, done: "The vote on \(motion.reference) is closed.") {
            _ = try await Motions.closeVote(motion.reference, caller: req.caller)
        }
    }

    /// Does `work`, then goes back to the meeting with `done`; a refusal is shown on the page in place.
    private func act(
        _ req: Request, _ reference: String?, done: String, _ work: () async throws -> Void
    ) async throws -> Response {
        do {
            try await work()
            req.session.data[Self.flashKey] = done
            return req.redirect(to: Self.path(reference ?? ""), redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation || error.code == .conflict {
            return try await render(req, reference, errors: error.formFields, status: error.status)
        }
    }

    private func render(
        _ req: Request, _ reference: String?, flash: String? = nil, errors: [ConcordError.FieldError] = [],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let caller = req.caller
        let meeting = try await MeetingView.make(reference, caller: caller)
        let principal = try caller.requirePrincipal()
        let own = try await Team.find(principal.teamID, on: req.db)
        let acts = caller.policy.allows(.actForTeamInMeeting(team: principal.teamID))
        var votesFor: [TeamOption] = []
        if acts, let own {
            if meeting.attendance.contains(where: { $0.team == own.slug && $0.mode != "proxy" && $0.votes }) {
                votesFor.append(TeamOption(slug: own.slug, name: own.shortName))
            }
            votesFor += meeting.attendance.filter { $0.proxyHolder == own.slug }.map {
                TeamOption(slug: $0.team, name: $0.teamName)
            }
        }
        let stored = try await GeneralMeeting.query(on: req.db).filter(\.$reference == meeting.reference).first()
        var voting: [TeamOption] = []
        if let stored {
            let rules = try await MeetingRoll.rules(for: stored, db: req.db)
            voting = try await MeetingRoll.votingMembers(on: MeetingRoll.day(of: stored), under: rules, db: req.db)
                .map { TeamOption(slug: $0.slug, name: $0.shortName) }.sorted { $0.name < $1.name }
        }
        let runs = caller.policy.allows(.runMeetings)
        if runs { votesFor = meeting.attendance.filter(\.votes).map { TeamOption(slug: $0.team, name: $0.teamName) } }
        let page = Page(
            viewer: try await req.webViewer(), csrf: req.csrfToken, meeting: meeting, runs: runs,
            ownTeam: acts ? own?.slug : nil, votesFor: votesFor, votingMembers: voting, flash: flash, errors: errors)
        return try await req.view.render("meeting", page).encodeResponse(status: status, for: req)
    }

    /// A local date and time in `zone` as the moment it names; 422 naming the field when unreadable.
    static func start(date: String?, time: String?, zone: String?) throws -> Date? {
        guard let date, !date.isEmpty else { return nil }
        guard let day = CivilDate(date) else {
            throw ConcordError.invalid(field: "date", "must be a date as YYYY-MM-DD")
        }
        let parts = (time?.isEmpty == false ? time! : "09:00").split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else {
            throw ConcordError.invalid(field: "time", "must be a time as HH:MM")
        }
        guard let zone = zone.flatMap(TimeZone.init(identifier:)) else {
            throw ConcordError.invalid(field: "timeZone", "must be an IANA time zone (Asia/Tokyo)")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(
            from: DateComponents(year: day.year, month: day.month, day: day.day, hour: parts[0], minute: parts[1]))
    }
}
