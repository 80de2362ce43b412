import ConcordCore
import Fluent
import Foundation
import SQLKit

/// The demo AGM's elections, closed as the services would have closed them: the chair and the
/// deputy chair re-elected unopposed (yes-no), and the steering committee's class of the year by
/// single transferable vote with one candidate left out; each with its roll, lot, the record of
/// who voted and its public board, chained and counted. The elected are the office holders
/// `DemoGovernance` records.
enum DemoElection {
    /// One election of the demo AGM: its office and method, its candidates, and each team's
    /// ballot in the roll's order.
    struct Plan {
        let office: String
        let seatClass: Int?
        let method: ElectionMethod
        let candidates: [String]
        let ballots: [[String]]
    }

    static func plans(agm: CivilDate, roll: Int) -> [Plan] {
        let seatClass = agm.year % 2
        let standing = DemoGovernance.committee.filter { $0.seatClass == seatClass }.map(\.slug)
        let quota = roll / (standing.count + 1) + 1
        // Each of the class's members reaches the quota on first preferences; TWCERT/CC does not.
        var rankings: [[String]] = []
        for (index, slug) in standing.enumerated() {
            let next = standing[(index + 1) % standing.count]
            rankings += Array(repeating: [slug, next], count: quota)
        }
        while rankings.count < roll { rankings.append(["twcert-cc", standing[0]]) }
        let yesNo = { (yes: Int, no: Int) in
            Array(repeating: ["yes"], count: yes) + Array(repeating: ["no"], count: no)
                + Array(repeating: ["abstain"], count: max(roll - yes - no, 0))
        }
        return [
            Plan(office: "chair", seatClass: nil, method: .yesNo, candidates: ["jpcert-cc"], ballots: yesNo(12, 1)),
            Plan(
                office: "deputy-chair", seatClass: nil, method: .yesNo, candidates: ["krcert-cc"], ballots: yesNo(13, 0)
            ),
            Plan(
                office: "steering-committee", seatClass: seatClass, method: .singleTransferableVote,
                candidates: standing + ["twcert-cc"], ballots: Array(rankings.prefix(roll))),
        ]
    }

    static func load(
        meeting: GeneralMeeting, agm: CivilDate, roll: [UUID], rules: Constitution, teams: [String: (UUID, Team)],
        on db: any Database
    ) async throws {
        let slugs = Dictionary(uniqueKeysWithValues: teams.map { ($0.value.0, $0.key) })
        let rollSlugs = roll.compactMap { slugs[$0] }
        let voting = teams.values.filter { rules.rights(of: MeetingRoll.standing(of: $0.1), on: agm).contains(.vote) }
            .count
        let start = meeting.startsAt
        let encoder = JSONEncoder()
        let plans = plans(agm: agm, roll: roll.count)
        for (index, plan) in plans.enumerated() {
            let election = Election()
            election.id = UUID()
            election.reference = "\(meeting.reference)-E\(index + 1)"
            election.$meeting.id = try meeting.requireID()
            election.office = plan.office
            election.seatClass = plan.seatClass
            let termYears = plan.seatClass == nil ? 1 : rules.steeringCommittee.termYears
            election.seats = plan.seatClass.map { rules.steeringCommittee.seatClasses[$0] } ?? 1
            election.method = plan.method
            election.title = "Election: \(Offices.name(plan.office, seatClass: plan.seatClass))"
            election.state = .closed
            election.nominationsCloseAt = start.addingTimeInterval(-7 * 86_400)
            election.termStartsOn = agm.description
            election.termEndsOn = agm.adding(months: 12 * termYears).adding(days: -1).description
            election.calledAt = start.addingTimeInterval(-40 * 86_400)
            election.calledBy = "secretariat@jpcert.example"
            election.openedAt = start.addingTimeInterval(Double(3_600 + index * 1_200))
            election.closedAt = start.addingTimeInterval(Double(3_600 + index * 1_200 + 900))
            election.roll = String(
                decoding: try encoder.encode(roll.sorted { $0.uuidString < $1.uuidString }), as: UTF8.self)
            election.rollSHA256 = VoteRoll.digest(rollSlugs)
            election.presentAtOpening = roll.count
            election.votingMembersAtOpening = voting
            let candidates = plan.candidates.filter { teams[$0] != nil }.sorted()
            election.lot = String(decoding: try encoder.encode(candidates.reversed()), as: UTF8.self)
            var random = SystemRandomNumberGenerator()
            let board = ElectionBoard(
                election: election.reference, title: election.title, method: plan.method, seats: election.seats,
                candidates: candidates, lot: Array(candidates.reversed()), voters: roll.count,
                rollSHA256: election.rollSHA256 ?? "",
                ballots: plan.ballots.map { (TrackingCode.make(using: &random), ElectionBallot($0)) })
            election.board = String(decoding: try encoder.encode(board), as: UTF8.self)
            try await election.create(on: db)
            for (offset, slug) in candidates.enumerated() {
                guard let (id, team) = teams[slug] else { continue }
                let candidate = ElectionCandidate()
                candidate.$election.id = try election.requireID()
                candidate.$team.id = id
                candidate.holder = "Head of \(team.shortName)"
                candidate.statement =
                    "\(team.shortName) stands again: the forum's drills, its report and its newcomers."
                candidate.$nominatedBy.id = id
                candidate.$secondedBy.id = teams[candidates[(offset + 1) % candidates.count]]?.0 ?? teams["auscert"]?.0
                if candidate.$secondedBy.id == id { candidate.$secondedBy.id = teams["auscert"]?.0 }
                candidate.nominatedAt = election.calledAt.addingTimeInterval(86_400)
                try await candidate.create(on: db)
            }
            for id in roll {
                let participation = ElectionParticipation()
                participation.$election.id = try election.requireID()
                participation.$team.id = id
                try await participation.create(on: db)
            }
        }
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw(
            "UPDATE general_meetings SET elections = \(bind: plans.count) WHERE id = \(bind: meeting.requireID())"
        ).run()
    }
}
