import ConcordCore
import Fluent
import Foundation
import SQLKit

/// Nominations for an election while they are open: a team nominates itself, or a voting member
/// nominates it; another voting member seconds it; the candidate's team may withdraw it. A team
/// that may not stand on the meeting's day, or would pass its office's limit of consecutive terms,
/// is refused with the reason.
enum ElectionNominations {
    /// What a nomination takes.
    struct Nomination: Sendable {
        /// The candidate's slug; the caller's own team when absent (a self-nomination).
        var team: String?
        /// The person who would hold the office.
        var holder: String?
        var statement: String?
    }

    /// Nominates a team, for the caller's own team (the nominator).
    static func nominate(_ reference: String?, _ nomination: Nomination, caller: Caller) async throws
        -> ElectionCandidate
    {
        let nominator = try await actingTeam(caller)
        let election = try await Elections.find(reference, on: caller.db)
        try requireOpenNominations(election, now: caller.clock.now())
        var candidate = nominator
        if let slug = nomination.team { candidate = try await MeetingAttendanceService.loadTeam(slug, db: caller.db) }
        let meeting = election.meeting
        let rules = try await MeetingRoll.rules(for: meeting, db: caller.db)
        let day = MeetingRoll.day(of: meeting)
        if candidate.id != nominator.id
            && !MeetingRoll.rights(of: nominator, on: day, under: rules).contains(.vote)
        {
            throw ConcordError.invalid(
                field: "team", "\(nominator.shortName) holds no vote: a team nominates itself, or a voting member does")
        }
        var problems: [ConcordError.FieldError] = []
        let holder = nomination.holder?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let statement = nomination.statement?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if holder.isEmpty || holder.count > 200 {
            problems.append(.init(field: "holder", detail: "must name the person, 1–200 characters"))
        }
        if statement.isEmpty || statement.count > 10_000 {
            problems.append(.init(field: "statement", detail: "must be 1–10,000 characters"))
        }
        do {
            try await checkEligible(candidate, for: election, rules: rules, day: day, db: caller.db)
        } catch let reason as Candidacy.Ineligibility {
            problems.append(.init(field: "team", detail: "\(candidate.shortName) may not stand: \(reason)"))
        }
        guard problems.isEmpty else { throw ConcordError.invalid(problems) }
        let candidateName = candidate.shortName
        let row = ElectionCandidate()
        row.$election.id = try election.requireID()
        row.$team.id = try candidate.requireID()
        row.holder = holder
        row.statement = statement
        row.$nominatedBy.id = try nominator.requireID()
        row.nominatedAt = caller.clock.now()
        do {
            try await caller.db.writeTransaction { db in
                try await row.create(on: db)
                try await AuditLog.record(
                    "governance.election.nominate", targetType: "election", targetID: election.reference,
                    summary: "\(candidateName) nominated by \(nominator.shortName) (\(holder))", caller: caller,
                    on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ConcordError(.conflict, "\(candidate.shortName) is nominated in \(election.reference) already")
        }
        return row
    }

    /// Seconds a candidate for the caller's own team: a voting member other than the nominator and
    /// the candidate.
    static func second(_ reference: String?, candidate slug: String?, caller: Caller) async throws {
        let seconder = try await actingTeam(caller)
        let election = try await Elections.find(reference, on: caller.db)
        try requireOpenNominations(election, now: caller.clock.now())
        let candidate = try await nominee(slug, in: election, db: caller.db)
        let rules = try await MeetingRoll.rules(for: election.meeting, db: caller.db)
        guard MeetingRoll.rights(of: seconder, on: MeetingRoll.day(of: election.meeting), under: rules).contains(.vote)
        else { throw ConcordError(.conflict, "\(seconder.shortName) holds no vote: only a voting member seconds") }
        guard seconder.id != candidate.$team.id, seconder.id != candidate.$nominatedBy.id else {
            throw ConcordError(.conflict, "the seconder must be another team than the candidate and its nominator")
        }
        try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            let moved = try await sql.raw(
                """
                UPDATE election_candidates SET seconded_by_team_id = \(bind: seconder.requireID())
                WHERE id = \(bind: candidate.requireID()) AND seconded_by_team_id IS NULL AND withdrawn_at IS NULL
                RETURNING id
                """
            ).all()
            guard !moved.isEmpty else {
                throw ConcordError(.conflict, "\(candidate.team.shortName) is seconded already, or withdrawn")
            }
            try await AuditLog.record(
                "governance.election.second", targetType: "election", targetID: election.reference,
                summary: "\(candidate.team.shortName) seconded by \(seconder.shortName)", caller: caller, on: db)
        }
    }

    /// Withdraws a candidacy while nominations are open: the candidate's team, or the secretariat.
    static func withdraw(_ reference: String?, candidate slug: String?, caller: Caller) async throws {
        let principal = try caller.requirePrincipal()
        let election = try await Elections.find(reference, on: caller.db)
        let candidate = try await nominee(slug, in: election, db: caller.db)
        guard
            caller.policy.allows(.runMeetings)
                || (candidate.$team.id == principal.teamID
                    && caller.policy.allows(.actForTeamInMeeting(team: principal.teamID)))
        else { throw ConcordError.forbidden }
        guard election.state == .nominating else {
            throw ConcordError(.conflict, "\(election.reference) is \(election.state.rawValue): candidacies are fixed")
        }
        try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            let moved = try await sql.raw(
                """
                UPDATE election_candidates SET withdrawn_at = \(bind: caller.clock.now())
                WHERE id = \(bind: candidate.requireID()) AND withdrawn_at IS NULL RETURNING id
                """
            ).all()
            guard !moved.isEmpty else {
                throw ConcordError(.conflict, "\(candidate.team.shortName) has withdrawn already")
            }
            try await AuditLog.record(
                "governance.election.withdraw", targetType: "election", targetID: election.reference,
                summary: "\(candidate.team.shortName) withdrew", caller: caller, on: db)
        }
    }

    /// Whether `team` may stand: the right to stand on the meeting's day, and the office's limit of
    /// consecutive terms counted from the offices' history.
    static func checkEligible(
        _ team: Team, for election: Election, rules: Constitution, day: CivilDate, db: any Database
    ) async throws {
        let limit = rules.offices.first { $0.office == election.office }?.maxConsecutiveTerms
        let held = try await Offices.history(of: team.requireID(), db: db)
            .filter { $0.office == election.office }
            .compactMap { term -> Candidacy.HeldTerm? in
                guard let start = CivilDate(term.startsOn), let end = CivilDate(term.endsOn) else { return nil }
                return Candidacy.HeldTerm(startsOn: start, endsOn: end)
            }
        try Candidacy.check(
            rights: MeetingRoll.rights(of: team, on: day, under: rules), category: team.category.name, held: held,
            newTermStartsOn: CivilDate(election.termStartsOn) ?? day,
            limit: election.office == "steering-committee" ? nil : limit,
            office: Offices.name(election.office, seatClass: nil))
    }

    /// The caller's own team (its category loaded), when the caller may act for it at a meeting.
    static func actingTeam(_ caller: Caller) async throws -> Team {
        let principal = try caller.requirePrincipal()
        guard caller.policy.allows(.actForTeamInMeeting(team: principal.teamID)) || caller.policy.allows(.runMeetings)
        else { throw ConcordError.forbidden }
        guard let team = try await Team.query(on: caller.db).filter(\.$id == principal.teamID).with(\.$category).first()
        else { throw ConcordError.forbidden }
        return team
    }

    private static func requireOpenNominations(_ election: Election, now: Date) throws {
        guard election.state == .nominating, now < election.nominationsCloseAt else {
            throw ConcordError(.conflict, "nominations for \(election.reference) are closed")
        }
    }

    private static func nominee(_ slug: String?, in election: Election, db: any Database) async throws
        -> ElectionCandidate
    {
        guard let slug,
            let candidate = try await Elections.candidates(of: election, db: db).first(where: { $0.team.slug == slug })
        else { throw ConcordError.notFound("candidate") }
        return candidate
    }
}
