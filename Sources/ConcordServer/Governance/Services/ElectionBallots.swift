import ConcordCore
import Fluent
import Foundation
import SQLKit

/// Secret ballots in elections. A team on the roll votes once, by its own representative, or by
/// its proxy holder's when it is represented; the secretariat casts none for a team. Two rows are
/// written in one transaction and share nothing: the record that the team voted (team, election)
/// and the ballot (a new tracking code, the election's reference, the choices). Neither has a time,
/// a sequence or the other's id; the ballots' table keeps no insertion order. The tracking code is
/// answered once, to the voter, and is found again only on the board.
enum ElectionBallots {
    /// A ballot taken: the code the team finds it by on the board.
    struct Receipt: Sendable {
        let election: String
        let team: Team
        let trackingCode: String
    }

    /// Casts `teamSlug`'s ballot (default: the caller's own team).
    static func cast(_ reference: String?, choices: [String]?, team teamSlug: String?, caller: Caller) async throws
        -> Receipt
    {
        let principal = try caller.requirePrincipal()
        guard caller.policy.allows(.actForTeamInMeeting(team: principal.teamID)) else { throw ConcordError.forbidden }
        guard let choices else {
            throw ConcordError.invalid(field: "choices", "is required: the candidates marked, in order for STV")
        }
        let election = try await Elections.find(reference, on: caller.db)
        guard election.state == .voting else {
            throw ConcordError(.conflict, "\(election.reference) is \(election.state.rawValue): no ballot is open")
        }
        var voter: Team?
        if let teamSlug { voter = try await MeetingAttendanceService.loadTeam(teamSlug, db: caller.db) }
        let voterID = voter?.id ?? principal.teamID
        guard election.rollIDs.contains(voterID) else {
            throw ConcordError(
                .conflict, "\(voter?.shortName ?? "your team") is not on the roll of \(election.reference)")
        }
        let attendance = try await MeetingAttendance.query(on: caller.db)
            .filter(\.$meeting.$id == election.$meeting.id).filter(\.$team.$id == voterID).first()
        if attendance?.mode == .proxy {
            guard attendance?.$proxyHolder.id == principal.teamID else {
                throw ConcordError(.forbidden, "this team is represented by proxy: its holder votes for it")
            }
        } else {
            guard voterID == principal.teamID else { throw ConcordError.forbidden }
        }
        let candidates = try await Elections.candidates(of: election, db: caller.db).filter(\.isStanding)
            .map(\.team.slug)
        let ballot: ElectionBallot
        do {
            ballot = try ElectionBallot.validated(
                choices, method: election.method, seats: election.seats, candidates: candidates)
        } catch {
            throw ConcordError.invalid(field: "choices", error.description)
        }
        var found = voter
        if found == nil { found = try await Team.find(voterID, on: caller.db) }
        guard let team = found else { throw ConcordError.forbidden }
        let teamName = team.shortName
        let participation = ElectionParticipation()
        participation.$election.id = try election.requireID()
        participation.$team.id = voterID
        let code = TrackingCode.make()
        let choicesText = String(decoding: try JSONEncoder().encode(ballot.choices), as: UTF8.self)
        do {
            try await caller.db.writeTransaction { db in
                guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
                try await participation.create(on: db)
                try await sql.raw(
                    """
                    INSERT INTO election_ballots (tracking_code, election, choices)
                    VALUES (\(bind: code), \(bind: election.reference), \(bind: choicesText))
                    """
                ).run()
                guard try await lockedState(of: election.requireID(), db: db) == .voting else {
                    throw ConcordError(.conflict, "the ballot of \(election.reference) has closed")
                }
                try await AuditLog.record(
                    "governance.election.ballot", targetType: "election", targetID: election.reference,
                    summary: "\(teamName) voted in \(election.reference)", caller: caller, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ConcordError(.conflict, "\(teamName) has voted in \(election.reference) already")
        }
        return Receipt(election: election.reference, team: team, trackingCode: code)
    }

    /// The election's state, its row locked against a close (PostgreSQL; SQLite's writers take turns).
    private static func lockedState(of electionID: UUID, db: any Database) async throws -> ElectionState? {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
        let lock = sql.dialect.name == "postgresql" ? "FOR SHARE" : ""
        let row = try await sql.raw("SELECT state FROM elections WHERE id = \(bind: electionID) \(unsafeRaw: lock)")
            .first()
        return try row.flatMap { ElectionState(rawValue: try $0.decode(column: "state", as: String.self)) }
    }
}
