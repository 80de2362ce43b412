import ConcordCore
import Fluent
import Foundation

/// The forum's governance in the annual report's activities: each general meeting closed in the
/// year (who was present or represented, its resolutions) and each vote between meetings closed
/// in it (its outcome, count and participation), in the order they happened.
enum ReportGovernanceActivities {
    static func items(from start: Date, to end: Date, on db: any Database) async throws
        -> [AnnualReportData.Activities.Item]
    {
        var dated: [(Date, AnnualReportData.Activities.Item)] = []
        let meetings = try await GeneralMeeting.query(on: db).filter(\.$state == .closed)
            .filter(\.$startsAt >= start).filter(\.$startsAt < end).all()
        for meeting in meetings {
            let resolutions = try await Motion.query(on: db).filter(\.$meeting.$id == meeting.requireID())
                .sort(\.$proposedAt).all().compactMap(\.resolution)
            // The quorum needs the constitution in force that day; a meeting without one still counts.
            let quorum = try? await MeetingRoll.quorum(of: meeting, db: db)
            let present =
                quorum.map { "\($0.present) of \($0.votingMembers) voting members present or represented" }
                ?? "held"
            let outcome =
                present + "; "
                + (resolutions.isEmpty
                    ? "no resolution" : "resolutions " + resolutions.joined(separator: ", "))
            dated.append(
                (
                    meeting.startsAt,
                    .init(date: ISODate.string(meeting.startsAt), title: meeting.title, outcome: outcome)
                ))
        }
        let votes = try await GovernanceVote.query(on: db).filter(\.$state ~~ [.carried, .failed])
            .filter(\.$closedAt >= start).filter(\.$closedAt < end).all()
        for vote in votes {
            guard let closed = vote.closedAt, let count = vote.judged?.count else { continue }
            let participation = vote.quorumCheck.map { ", \($0.present) of \($0.votingMembers) voting members voted" }
            let outcome =
                (vote.state == .carried ? "carried" + (vote.resolution.map { " as \($0)" } ?? "") : "failed")
                + ": \(count.yes) yes, \(count.no) no, \(count.abstain) abstain" + (participation ?? "")
            dated.append(
                (
                    closed,
                    .init(
                        date: ISODate.string(closed), title: "Vote \(vote.reference): \(vote.title)", outcome: outcome)
                ))
        }
        return dated.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
