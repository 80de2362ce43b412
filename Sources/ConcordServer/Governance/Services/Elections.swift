import ConcordCore
import Fluent
import Foundation
import SQLKit

/// Elections at general meetings: the secretariat calls one for an office (its seats and terms from
/// the constitution in force on the meeting's day, or a vacancy for the rest of its term); teams
/// are nominated and seconded (`ElectionNominations`); at the meeting the ballot opens at quorum
/// with the roll of voting members present or represented and a drawn lot; each votes once in
/// secret (`ElectionBallots`); the close counts the ballots, publishes the board and gives the
/// elected their terms.
enum Elections {
    /// What calling an election takes.
    struct Call: Sendable {
        var meeting: String?
        var office: String?
        /// The steering committee's seat class (0-based), for that office only.
        var seatClass: Int?
        var method: ElectionMethod?
        var title: String?
        var nominationsCloseAt: Date?
        /// A vacancy: the seats to fill and the last day of the term they are filled for.
        var seats: Int?
        var termEndsOn: String?
    }

    /// Every election, the newest first.
    static func list(caller: Caller) async throws -> [Election] {
        try caller.policy.require(.readGovernance)
        return try await Election.query(on: caller.db).with(\.$meeting).sort(\.$calledAt, .descending).all()
    }

    /// The election by reference, its meeting loaded, or 404.
    static func find(_ reference: String?, on db: any Database) async throws -> Election {
        guard let reference,
            let election = try await Election.query(on: db).filter(\.$reference == reference.uppercased())
                .with(\.$meeting).first()
        else { throw ConcordError.notFound("election") }
        return election
    }

    /// Calls an election at a meeting that has not closed; numbered by the meeting's counter, the
    /// first write of its transaction.
    static func call(_ call: Call, caller: Caller) async throws -> Election {
        try caller.policy.require(.runMeetings)
        guard let reference = call.meeting else { throw ConcordError.invalid(field: "meeting", "is required") }
        let meeting = try await Meetings.find(reference, on: caller.db)
        guard meeting.state != .closed else { throw ConcordError(.conflict, "\(meeting.reference) has closed") }
        let rules = try await MeetingRoll.rules(for: meeting, db: caller.db)
        let day = MeetingRoll.day(of: meeting)
        var problems: [ConcordError.FieldError] = []
        var seats = 1
        var termYears = 1
        let office = call.office ?? ""
        if office == "steering-committee" {
            let classes = rules.steeringCommittee.seatClasses
            if let seatClass = call.seatClass, classes.indices.contains(seatClass) {
                seats = classes[seatClass]
            } else {
                problems.append(
                    .init(field: "seatClass", detail: "must be a seat class from 0 to \(max(classes.count - 1, 0))"))
            }
            termYears = rules.steeringCommittee.termYears
        } else if let rule = rules.offices.first(where: { $0.office == office }) {
            termYears = rule.termYears
            if call.seatClass != nil {
                problems.append(.init(field: "seatClass", detail: "is for the steering committee's seats only"))
            }
        } else {
            let offices = rules.offices.map(\.office) + ["steering-committee"]
            problems.append(.init(field: "office", detail: "must be one of \(offices.joined(separator: ", "))"))
        }
        var termEndsOn = day.adding(months: 12 * termYears).adding(days: -1)
        if let text = call.termEndsOn {
            if let end = CivilDate(text), end > day, end <= termEndsOn {
                termEndsOn = end
            } else {
                problems.append(
                    .init(field: "termEndsOn", detail: "must be a date after \(day), at most \(termEndsOn)"))
            }
        }
        if let wanted = call.seats {
            if (1...seats).contains(wanted) {
                seats = wanted
            } else {
                problems.append(.init(field: "seats", detail: "must be from 1 to \(seats)"))
            }
        }
        if call.method == nil {
            let methods = ElectionMethod.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(.init(field: "method", detail: "must be one of \(methods)"))
        } else if call.method == .yesNo && seats != 1 {
            problems.append(.init(field: "method", detail: "yes-no is for one seat and one candidate"))
        }
        let now = caller.clock.now()
        if let close = call.nominationsCloseAt {
            if close <= now { problems.append(.init(field: "nominationsCloseAt", detail: "must be in the future")) }
        } else {
            problems.append(.init(field: "nominationsCloseAt", detail: "is required (an ISO 8601 time)"))
        }
        let title = call.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if title.count > 200 { problems.append(.init(field: "title", detail: "must be at most 200 characters")) }
        guard problems.isEmpty, let method = call.method, let nominationsCloseAt = call.nominationsCloseAt else {
            throw ConcordError.invalid(problems)
        }
        let election = Election()
        election.$meeting.id = try meeting.requireID()
        election.office = office
        election.seatClass = office == "steering-committee" ? call.seatClass : nil
        election.seats = seats
        election.method = method
        election.title = title.isEmpty ? "Election: \(Offices.name(office, seatClass: election.seatClass))" : title
        election.state = .nominating
        election.nominationsCloseAt = nominationsCloseAt
        election.termStartsOn = day.description
        election.termEndsOn = termEndsOn.description
        election.calledAt = now
        election.calledBy = caller.actor.name
        let meetingID = try meeting.requireID()
        let seatCount = seats
        try await caller.db.writeTransaction { db in
            let number = try await Motions.counter("elections", of: meetingID, on: db)
            election.reference = "\(meeting.reference)-E\(number)"
            try await election.create(on: db)
            try await AuditLog.record(
                "governance.election.call", targetType: "election", targetID: election.reference,
                summary:
                    "\(election.reference) called: \(election.title), \(seatCount) seat(s) by \(method.rawValue), "
                    + "nominations until \(nominationsCloseAt.formatted(.iso8601))",
                caller: caller, on: db)
        }
        return try await find(election.reference, on: caller.db)
    }

    /// The candidates, in slug order, with their teams.
    static func candidates(of election: Election, db: any Database) async throws -> [ElectionCandidate] {
        try await ElectionCandidate.query(on: db).filter(\.$election.$id == election.requireID())
            .with(\.$team).with(\.$nominatedBy).with(\.$secondedBy).all()
            .sorted { $0.team.slug < $1.team.slug }
    }

    /// Opens the ballot once nominations have closed, at an open meeting that has its quorum: the
    /// roll is the voting members present or represented, the lot is drawn, and each standing
    /// candidate is on the ballot.
    static func open(_ reference: String?, caller: Caller) async throws -> Election {
        try caller.policy.require(.runMeetings)
        let election = try await find(reference, on: caller.db)
        let meeting = election.meeting
        let now = caller.clock.now()
        guard election.state == .nominating else {
            throw ConcordError(.conflict, "\(election.reference) is \(election.state.rawValue): it cannot open")
        }
        guard now >= election.nominationsCloseAt else {
            throw ConcordError(
                .conflict,
                "nominations for \(election.reference) close at \(election.nominationsCloseAt.formatted(.iso8601))")
        }
        guard meeting.state == .open else {
            throw ConcordError(.conflict, "\(meeting.reference) is not open: the ballot opens at the meeting")
        }
        let (present, check) = try await MeetingRoll.roll(of: meeting, db: caller.db)
        guard check.isMet else {
            throw ConcordError(
                .conflict,
                "no quorum: \(check.present) of \(check.votingMembers) voting members present or represented, "
                    + "\(check.required) needed")
        }
        let standing = try await candidates(of: election, db: caller.db).filter(\.isStanding).map(\.team.slug)
        guard !standing.isEmpty else {
            throw ConcordError(.conflict, "\(election.reference) has no seconded candidate")
        }
        if election.method == .yesNo && standing.count != 1 {
            throw ConcordError(
                .conflict, "\(standing.count) candidates stand: a yes-no ballot is for one; call it by another method")
        }
        let slugs = try await Team.query(on: caller.db).filter(\.$id ~~ present).all().map(\.slug)
        var random = SystemRandomNumberGenerator()
        let lot = standing.shuffled(using: &random)
        let encoder = JSONEncoder()
        let roll = String(decoding: try encoder.encode(present), as: UTF8.self)
        let lotText = String(decoding: try encoder.encode(lot), as: UTF8.self)
        try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            let moved = try await sql.raw(
                """
                UPDATE elections SET state = 'voting', opened_at = \(bind: now), roll = \(bind: roll),
                    roll_sha256 = \(bind: VoteRoll.digest(slugs)), present_at_opening = \(bind: check.present),
                    voting_members_at_opening = \(bind: check.votingMembers), lot = \(bind: lotText)
                WHERE id = \(bind: election.requireID()) AND state = 'nominating' RETURNING id
                """
            ).all()
            guard !moved.isEmpty else { throw ConcordError(.conflict, "\(election.reference) moved on meanwhile") }
            try await AuditLog.record(
                "governance.election.open", targetType: "election", targetID: election.reference,
                summary:
                    "\(election.reference) ballot opened: \(standing.count) candidate(s), \(check.present) of "
                    + "\(check.votingMembers) voting members present or represented; lot \(lot.joined(separator: ", "))",
                caller: caller, on: db)
        }
        return try await find(election.reference, on: caller.db)
    }

    /// Closes the ballot: the ballots move to the board in their codes' order, chained and counted;
    /// their rows are deleted; the elected take their terms. One transaction, after every ballot
    /// racing it has either committed or been refused.
    static func close(_ reference: String?, caller: Caller) async throws -> Election {
        try caller.policy.require(.runMeetings)
        let election = try await find(reference, on: caller.db)
        let now = caller.clock.now()
        try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            let closing = try await sql.raw(
                """
                UPDATE elections SET state = 'closed', closed_at = \(bind: now)
                WHERE id = \(bind: election.requireID()) AND state = 'voting' RETURNING id
                """
            ).all()
            guard !closing.isEmpty else {
                throw ConcordError(.conflict, "\(election.reference) is \(election.state.rawValue): no ballot is open")
            }
            let board = try await board(of: election, db: db)
            let text = String(decoding: try JSONEncoder().encode(board), as: UTF8.self)
            try await sql.raw("UPDATE elections SET board = \(bind: text) WHERE id = \(bind: election.requireID())")
                .run()
            try await sql.raw("DELETE FROM election_ballots WHERE election = \(bind: election.reference)").run()
            let standing = try await candidates(of: election, db: db)
            for slug in board.result.elected {
                guard let candidate = standing.first(where: { $0.team.slug == slug }) else { continue }
                try await Offices.record(
                    OfficeTerm(
                        office: election.office, seatClass: election.seatClass, teamID: candidate.$team.id,
                        holder: candidate.holder, startsOn: election.termStartsOn, endsOn: election.termEndsOn,
                        source: "\(election.reference): \(election.title)"),
                    on: db)
            }
            try await AuditLog.record(
                "governance.election.close", targetType: "election", targetID: election.reference,
                summary:
                    "\(election.reference) closed: \(board.entries.count) ballot(s); elected "
                    + (board.result.elected.isEmpty ? "no one" : board.result.elected.joined(separator: ", "))
                    + "; board head \(board.head)",
                caller: caller, on: db)
        }
        return try await find(election.reference, on: caller.db)
    }

    /// Cancels an election that has not closed; the ballots cast, if any, are deleted uncounted.
    static func cancel(_ reference: String?, caller: Caller) async throws -> Election {
        try caller.policy.require(.runMeetings)
        let election = try await find(reference, on: caller.db)
        try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            let moved = try await sql.raw(
                """
                UPDATE elections SET state = 'cancelled', closed_at = \(bind: caller.clock.now())
                WHERE id = \(bind: election.requireID()) AND state IN ('nominating', 'voting') RETURNING id
                """
            ).all()
            guard !moved.isEmpty else {
                throw ConcordError(
                    .conflict, "\(election.reference) is \(election.state.rawValue): it cannot be cancelled")
            }
            try await sql.raw("DELETE FROM election_ballots WHERE election = \(bind: election.reference)").run()
            try await AuditLog.record(
                "governance.election.cancel", targetType: "election", targetID: election.reference,
                summary: "\(election.reference) cancelled", caller: caller, on: db)
        }
        return try await find(election.reference, on: caller.db)
    }

    /// The board from the ballots stored now: the close's, read inside its transaction.
    static func board(of election: Election, db: any Database) async throws -> ElectionBoard {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
        let rows = try await sql.raw(
            "SELECT tracking_code, choices FROM election_ballots WHERE election = \(bind: election.reference)"
        ).all()
        let decoder = JSONDecoder()
        let ballots = try rows.map { row in
            let choices = try decoder.decode(
                [String].self, from: Data(try row.decode(column: "choices", as: String.self).utf8))
            return (
                trackingCode: try row.decode(column: "tracking_code", as: String.self), ballot: ElectionBallot(choices)
            )
        }
        let voters = try await ElectionParticipation.query(on: db).filter(\.$election.$id == election.requireID())
            .count()
        let candidates = try await Self.candidates(of: election, db: db).filter(\.isStanding).map(\.team.slug)
        return ElectionBoard(
            election: election.reference, title: election.title, method: election.method, seats: election.seats,
            candidates: candidates, lot: election.lotOrder, voters: voters, rollSHA256: election.rollSHA256 ?? "",
            ballots: ballots)
    }

    /// The published board of a closed election; 409 before the close. Anyone may read it.
    static func publishedBoard(_ reference: String?, caller: Caller) async throws -> ElectionBoard {
        try caller.policy.require(.readElectionBoard)
        let election = try await find(reference, on: caller.db)
        guard election.state == .closed, let board = election.publishedBoard else {
            throw ConcordError(
                .conflict, "\(election.reference) is \(election.state.rawValue): its board is published at the close")
        }
        return board
    }
}
