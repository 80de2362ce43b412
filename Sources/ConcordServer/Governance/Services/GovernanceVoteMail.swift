import ConcordCore
import Fluent
import Foundation

/// The mail of votes between meetings, through the outbox (signed by the forum's key) to a team's
/// general e-mail contacts, the emergency ones where it has none: the call when voting opens, the
/// reminders, and the receipt or refusal of a reply. None names another team's choice.
enum GovernanceVoteMail {
    /// The line a team's signed reply carries.
    static func ballotLine(_ vote: GovernanceVote) -> String { "VOTE \(vote.reference) YES|NO|ABSTAIN" }

    /// The vote's page.
    static func link(_ vote: GovernanceVote, publicURL: String) -> String {
        "\(publicURL)/\(Paths.Governance.governance)/\(Paths.Governance.votes)/\(vote.reference)"
    }

    /// `2027-01-27 09:00 Asia/Tokyo (00:00 UTC)`.
    static func instant(_ date: Date, zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone) ?? .gmt
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let local = formatter.string(from: date)
        formatter.timeZone = .gmt
        formatter.dateFormat = "HH:mm"
        return "\(local) \(zone) (\(formatter.string(from: date)) UTC)"
    }

    /// The call: voting is open, how to vote, until when.
    static func call(_ vote: GovernanceVote, to team: Team, publicURL: String, now: Date, on db: any Database)
        async throws
    {
        let text = """
            The forum's vote \(vote.reference) is open until \(instant(vote.closesAt, zone: vote.timeZone)).

            \(vote.title)

            \(vote.text)

            \(team.shortName) votes once: on the vote's page, through the API, or by replying to the \
            forum's address with this one line, signed inline with a key on \(team.shortName)'s \
            contact in the directory (gpg --clearsign):

                \(ballotLine(vote))

            \(link(vote, publicURL: publicURL))
            """
        try await send(
            subject: "Concord: vote \(vote.reference) is open: \(vote.title)", text: text, to: team, now: now, on: db)
    }

    /// A reminder `hoursBefore` the close to a team that has not voted.
    static func reminder(
        _ vote: GovernanceVote, hoursBefore: Int, to team: Team, publicURL: String, now: Date, on db: any Database
    ) async throws {
        let text = """
            \(team.shortName) has not voted in the forum's vote \(vote.reference), which closes \
            \(instant(vote.closesAt, zone: vote.timeZone)), in \(hoursBefore) hours.

            \(vote.title)

            Vote on the page, through the API, or reply with this one line signed with \
            \(team.shortName)'s key:

                \(ballotLine(vote))

            \(link(vote, publicURL: publicURL))

            This reminder goes to the teams that have not voted, \(hoursBefore) hours before the close.
            """
        try await send(
            subject: "Concord: vote \(vote.reference) closes in \(hoursBefore) hours", text: text, to: team, now: now,
            on: db)
    }

    /// The receipt's text for a ballot that came by mail.
    static func receiptText(
        _ choice: VoteChoice, at castAt: Date, vote: GovernanceVote, team: Team, fingerprint: String
    ) -> String {
        """
        The forum received \(team.shortName)'s ballot in the vote \(vote.reference): \(choice.rawValue.uppercased()).

        Received \(instant(castAt, zone: vote.timeZone)), signed by the key \(fingerprint).
        The ballot is final; the vote closes \(instant(vote.closesAt, zone: vote.timeZone)).
        """
    }

    /// Queues the receipt to the address the ballot came from, in the ballot's transaction.
    static func receipt(
        _ text: String, vote: GovernanceVote, to contact: Contact, team: UUID, now: Date, on db: any Database
    )
        async throws
    {
        _ = try await Outbox.enqueue(
            mail: .governanceNotice, subject: "Concord: ballot received in vote \(vote.reference)", text: text,
            to: contact, team: team, now: now, on: db)
    }

    /// The refusal of a reply, to the team's address it came from, with its reason.
    static func refusal(_ reason: String, to contact: Contact, team: UUID, now: Date, on db: any Database) async throws
    {
        let text = """
            The forum could not count the ballot in your reply: it \(reason).

            A ballot is one line VOTE <reference> YES|NO|ABSTAIN, signed inline (gpg --clearsign) with \
            the key on this address in the forum's directory, sent while the vote is open.
            """
        _ = try await Outbox.enqueue(
            mail: .governanceNotice, subject: "Concord: ballot not counted", text: text, to: contact, team: team,
            now: now, on: db)
    }

    private static func send(subject: String, text: String, to team: Team, now: Date, on db: any Database)
        async throws
    {
        if team.$contacts.value == nil { try await team.$contacts.load(on: db) }
        for contact in Outbox.emailContacts(of: team, step: 1) {
            _ = try await Outbox.enqueue(
                mail: .governanceNotice, subject: subject, text: text, to: contact, team: team.requireID(), now: now,
                on: db)
        }
    }
}
