import ConcordCore
import Fluent
import Foundation
import SQLKit

/// The demo forum's votes between meetings: one closed a month ago (the forum's information-sharing
/// guidelines, carried), and one open now, three days into its week of voting (joining FIRST as a
/// forum), with the first ballots by the web and the API, so that a newcomer sees both a record and
/// a vote they can cast, by the page, the API or a signed reply. Each carries the roll of voting
/// members on its opening day and that roll's SHA-256, as the scheduler records them.
enum DemoVote {
    struct DemoBallots {
        let title: String
        let text: String
        /// When voting opened, days before now.
        let openedDaysAgo: Int
        /// Ballots by the roll's order: this many yes, then no, then abstain; the rest do not vote.
        let yes: Int
        let no: Int
        let abstain: Int
    }

    static let closed = DemoBallots(
        title: "The forum's information-sharing guidelines",
        text: "The forum adopts the information-sharing guidelines: TLP 2.0 for every exchange between members, "
            + "incident reports routed to the team that owns the affected network, and PGP for all mail.",
        openedDaysAgo: 37, yes: 11, no: 1, abstain: 2)
    static let open = DemoBallots(
        title: "Joining FIRST as a forum",
        text: "The forum applies to FIRST as a liaison member, represented by the chair.",
        openedDaysAgo: 3, yes: 4, no: 1, abstain: 1)

    static func load(now: Date, rules: Constitution, teams: [String: (UUID, Team)], on db: any Database)
        async throws
    {
        let zone = TimeZone(identifier: "Asia/Tokyo") ?? .gmt
        let days = rules.votesBetweenMeetings
        // The years' counters, as proposals and resolutions would have moved them.
        var votesInYear: [Int: Int] = [:]
        var resolutionsInYear: [Int: Int] = [:]
        for demo in [closed, open] {
            let opened = now.addingTimeInterval(-Double(demo.openedDaysAgo) * 86_400)
            let proposed = opened.addingTimeInterval(-Double(days.discussionDays) * 86_400)
            let period = VotingPeriod(proposedAt: proposed, timeZone: zone, rules: days)
            let day = GovernanceVotes.day(of: period.opensAt, in: zone)
            let roll = teams.values.filter { rules.rights(of: MeetingRoll.standing(of: $0.1), on: day).contains(.vote) }
                .sorted { $0.1.slug < $1.1.slug }
            let vote = GovernanceVote()
            vote.id = UUID()
            let year = GovernanceVotes.day(of: proposed, in: zone).year
            votesInYear[year, default: 0] += 1
            vote.reference = "VOTE-\(year)-\(votesInYear[year] ?? 1)"
            vote.kind = .ordinary
            vote.title = demo.title
            vote.text = demo.text
            vote.timeZone = zone.identifier
            vote.state = .voting
            vote.proposedAt = proposed
            vote.proposedBy = "secretariat@jpcert.example"
            vote.opensAt = period.opensAt
            vote.closesAt = period.closesAt
            vote.openedAt = period.opensAt
            vote.roll = String(decoding: try JSONEncoder().encode(roll.map(\.0)), as: UTF8.self)
            vote.rollSHA256 = VoteRoll.digest(roll.map(\.1.slug))
            try await vote.create(on: db)
            var choices: [VoteChoice] = []
            for (position, (teamID, _)) in roll.enumerated() {
                let choice: VoteChoice
                if position < demo.yes {
                    choice = .yes
                } else if position < demo.yes + demo.no {
                    choice = .no
                } else if position < demo.yes + demo.no + demo.abstain {
                    choice = .abstain
                } else {
                    break
                }
                choices.append(choice)
                let ballot = GovernanceBallot()
                ballot.$vote.id = try vote.requireID()
                ballot.$team.id = teamID
                ballot.choice = choice
                ballot.channel = position % 2 == 0 ? .web : .api
                ballot.signed = false
                ballot.castBy = "demo"
                ballot.castAt = period.opensAt.addingTimeInterval(Double(position + 1) * 3_600)
                try await ballot.create(on: db)
            }
            guard demo.openedDaysAgo > days.votingDays else { continue }
            let count = VoteCount(choices)
            let quorum = QuorumCheck(
                present: count.answered, votingMembers: roll.count, rule: rules.generalMeeting.quorum)
            let judgement = try MotionJudgement(
                count: count, majority: rules.majority(for: .ordinary, atMeeting: false), present: count.answered,
                votingMembers: roll.count, tieRule: rules.tieRule)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let carried = quorum.isMet && judgement.outcome == .carried
            let closedYear = GovernanceVotes.day(of: period.closesAt, in: zone).year
            if carried { resolutionsInYear[closedYear, default: 0] += 1 }
            vote.state = carried ? .carried : .failed
            vote.closedAt = period.closesAt
            vote.quorum = String(decoding: try encoder.encode(quorum), as: UTF8.self)
            vote.judgement = String(decoding: try encoder.encode(judgement), as: UTF8.self)
            vote.resolution = carried ? "VOTE-\(closedYear)-R\(resolutionsInYear[closedYear] ?? 1)" : nil
            try await vote.save(on: db)
        }
        guard let sql = db as? any SQLDatabase else { return }
        for year in Set(votesInYear.keys).union(resolutionsInYear.keys) {
            try await sql.insert(into: GovernanceVotes.countersSchema).columns("year", "votes", "resolutions")
                .values(SQLBind(year), SQLBind(votesInYear[year] ?? 0), SQLBind(resolutionsInYear[year] ?? 0)).run()
        }
    }
}
